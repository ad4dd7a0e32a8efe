// A Go-compatible JSON serializer (encoding/json's output bytes: HTML-safe
// escapes, shortest float formatting).
#include <cpa/sdk/hex.hpp>
#include <cpa/sdk/json.hpp>

#include "utf8.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

namespace cpa::sdk {

namespace {

using utf8::appendUtf8;
using utf8::validUtf8Length;

// ---- serialisation ----

/// Bytes written as they are (printable ASCII but `"`, backslash, `<`, `>`, `&`):
/// runs of them are appended at once — most of a body is such runs.
constexpr std::array<bool, 256> plainBytes() {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x80; ++c) t[static_cast<std::size_t>(c)] = true;
    for (const char c : {'"', '\\', '<', '>', '&'}) t[static_cast<unsigned char>(c)] = false;
    return t;
}
constexpr std::array<bool, 256> kPlain = plainBytes();

void writeEscapedAscii(std::string& out, unsigned char u) {
    switch (u) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    default:  // <, >, & and the other control characters
        out += "\\u00";
        appendHexByte(out, u);
    }
}

void writeString(std::string& out, std::string_view s) {
    out += '"';
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t run = i;
        while (run < s.size() && kPlain[static_cast<unsigned char>(s[run])]) ++run;
        out.append(s.data() + i, run - i);
        i = run;
        if (i >= s.size()) break;
        const auto u = static_cast<unsigned char>(s[i]);
        if (u >= 0x80) {
            std::uint32_t cp = 0;
            const std::size_t len = validUtf8Length(s, i, &cp);
            if (len == 0) {
                out += "\\ufffd";  // what Go writes for an invalid byte
                ++i;
            } else if (cp == 0x2028 || cp == 0x2029) {
                out += cp == 0x2028 ? "\\u2028" : "\\u2029";  // JSONP-safe, like Go
                i += len;
            } else {
                out.append(s.substr(i, len));
                i += len;
            }
            continue;
        }
        writeEscapedAscii(out, u);
        ++i;
    }
    out += '"';
}

/// Go's float64 formatting: shortest digits that round-trip; plain notation
/// for 1e-6 <= |x| < 1e21, otherwise exponent notation with "e-7" not "e-07".
/// NaN and infinities have no JSON form: they are written as null.
void writeDouble(std::string& out, double d) {
    if (!std::isfinite(d)) {
        out += "null";
        return;
    }
    char buf[64];
    const double a = std::fabs(d);
    const bool exp = a != 0 && (a < 1e-6 || a >= 1e21);
    auto res = std::to_chars(buf, buf + sizeof buf, d,
                             exp ? std::chars_format::scientific : std::chars_format::fixed);
    std::string text(buf, res.ptr);
    if (exp) {
        const std::size_t n = text.size();
        if (n >= 4 && text[n - 4] == 'e' && text[n - 3] == '-' && text[n - 2] == '0') text.erase(n - 2, 1);
    }
    out += text;
}

void newline(std::string& out, int indent, int level) {
    out += '\n';
    out.append(static_cast<std::size_t>(indent) * static_cast<std::size_t>(level), ' ');
}

void write(std::string& out, const Value& v, int indent, int level) {
    switch (v.type()) {
    case Value::Type::Null: out += "null"; return;
    case Value::Type::Bool: out += v.asBool() ? "true" : "false"; return;
    case Value::Type::Int: {
        char buf[24];
        out.append(buf, std::to_chars(buf, buf + sizeof buf, v.asInt()).ptr);
        return;
    }
    case Value::Type::Double: writeDouble(out, v.asDouble()); return;
    case Value::Type::String: writeString(out, v.asString()); return;
    case Value::Type::Array: {
        const auto& a = v.asArray();
        out += '[';
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (i) out += ',';
            if (indent > 0) newline(out, indent, level + 1);
            write(out, a[i], indent, level + 1);
        }
        if (indent > 0 && !a.empty()) newline(out, indent, level);
        out += ']';
        return;
    }
    case Value::Type::Object: {
        const auto& o = v.asObject();
        out += '{';
        for (std::size_t i = 0; i < o.size(); ++i) {
            if (i) out += ',';
            if (indent > 0) newline(out, indent, level + 1);
            writeString(out, o[i].first);
            out += indent > 0 ? ": " : ":";
            write(out, o[i].second, indent, level + 1);
        }
        if (indent > 0 && !o.empty()) newline(out, indent, level);
        out += '}';
        return;
    }
    }
}

}  // namespace

std::string toJson(const Value& v, int indent) {
    std::string out;
    out.reserve(256);  // a typical body's size: saves the first few regrowths
    write(out, v, indent < 0 ? 0 : indent, 0);
    return out;
}


void appendJsonString(std::string& out, std::string_view text) { writeString(out, text); }

}  // namespace cpa::sdk
