// A strict RFC 8259 parser and a Go-compatible serializer (encoding/json's
// output bytes: HTML-safe escapes, shortest float formatting).
#include <cpa/sdk/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace cpa::sdk {

namespace {

// Deep enough for any real body; shallow enough that the recursive parser
// cannot exhaust a worker thread's stack on hostile input.
constexpr int kMaxDepth = 512;
// Objects larger than this index their keys so that hostile bodies with many
// (duplicate) keys stay linear.
constexpr std::size_t kIndexThreshold = 32;

void appendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

constexpr std::uint32_t kReplacement = 0xFFFD;

/// Length of the valid UTF-8 sequence starting at s[i] (1..4), or 0 when the
/// bytes there are not valid UTF-8 (overlong, surrogate, > U+10FFFF, truncated).
std::size_t validUtf8Length(std::string_view s, std::size_t i, std::uint32_t* cpOut = nullptr) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        if (cpOut) *cpOut = b0;
        return 1;
    }
    std::size_t len;
    std::uint32_t cp;
    std::uint32_t min;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    if (cpOut) *cpOut = cp;
    return len;
}

class Parser {
public:
    Parser(std::string_view text) : s_(text) {}

    Value parse(JsonMode mode) {
        skipWs();
        if (pos_ >= s_.size()) fail("unexpected end of input");
        Value v = parseValue(0);
        if (mode == JsonMode::Document) {
            skipWs();
            if (pos_ < s_.size()) fail("unexpected data after top-level value");
        }
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& what) const { failAt(pos_, what); }
    [[noreturn]] void failAt(std::size_t at, const std::string& what) const {
        throw JsonError("invalid JSON at offset " + std::to_string(at) + ": " + what);
    }

    static std::string describe(char c) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7F) return std::string("'") + c + "'";
        static const char* hex = "0123456789abcdef";
        return std::string("byte 0x") + hex[u >> 4] + hex[u & 0xF];
    }

    void skipWs() {
        while (pos_ < s_.size()) {
            const char c = s_[pos_];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
            ++pos_;
        }
    }

    void expect(char c) {
        if (pos_ >= s_.size()) fail(std::string("expected '") + c + "', got end of input");
        if (s_[pos_] != c) fail(std::string("expected '") + c + "', got " + describe(s_[pos_]));
        ++pos_;
    }

    Value parseValue(int depth) {
        if (pos_ >= s_.size()) fail("unexpected end of input");
        const char c = s_[pos_];
        switch (c) {
        case '{': return parseObject(depth + 1);
        case '[': return parseArray(depth + 1);
        case '"': return Value(parseString());
        case 't': literal("true"); return Value(true);
        case 'f': literal("false"); return Value(false);
        case 'n': literal("null"); return Value();
        default:
            if (c == '-' || (c >= '0' && c <= '9')) return parseNumber();
            fail("unexpected " + describe(c) + ", expected a value");
        }
    }

    void literal(std::string_view word) {
        if (s_.substr(pos_, word.size()) != word) fail("invalid literal, expected '" + std::string(word) + "'");
        pos_ += word.size();
    }

    void enter(int depth) const {
        if (depth > kMaxDepth) fail("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    }

    Value parseObject(int depth) {
        enter(depth);
        ++pos_;  // '{'
        Value::Object members;
        std::unordered_map<std::string, std::size_t> index;
        skipWs();
        if (pos_ < s_.size() && s_[pos_] == '}') {
            ++pos_;
            return Value(std::move(members));
        }
        for (;;) {
            skipWs();
            if (pos_ >= s_.size()) fail("unexpected end of input, expected an object key");
            if (s_[pos_] != '"') fail("expected a string key, got " + describe(s_[pos_]));
            std::string key = parseString();
            skipWs();
            expect(':');
            skipWs();
            Value v = parseValue(depth);
            // Duplicate keys: the last value wins, at the first key's position.
            std::size_t found = members.size();
            if (members.size() >= kIndexThreshold) {
                if (index.empty()) {
                    for (std::size_t i = 0; i < members.size(); ++i) index.emplace(members[i].first, i);
                }
                auto it = index.find(key);
                if (it != index.end()) found = it->second;
            } else {
                for (std::size_t i = 0; i < members.size(); ++i) {
                    if (members[i].first == key) {
                        found = i;
                        break;
                    }
                }
            }
            if (found < members.size()) {
                members[found].second = std::move(v);
            } else {
                if (!index.empty()) index.emplace(key, members.size());
                members.emplace_back(std::move(key), std::move(v));
            }
            skipWs();
            if (pos_ >= s_.size()) fail("unexpected end of input, expected ',' or '}'");
            if (s_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (s_[pos_] == '}') {
                ++pos_;
                return Value(std::move(members));
            }
            fail("expected ',' or '}', got " + describe(s_[pos_]));
        }
    }

    Value parseArray(int depth) {
        enter(depth);
        ++pos_;  // '['
        Value::Array items;
        skipWs();
        if (pos_ < s_.size() && s_[pos_] == ']') {
            ++pos_;
            return Value(std::move(items));
        }
        for (;;) {
            skipWs();
            items.push_back(parseValue(depth));
            skipWs();
            if (pos_ >= s_.size()) fail("unexpected end of input, expected ',' or ']'");
            if (s_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (s_[pos_] == ']') {
                ++pos_;
                return Value(std::move(items));
            }
            fail("expected ',' or ']', got " + describe(s_[pos_]));
        }
    }

    int hexDigit(char c) const {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /// Four hex digits at pos_ (after "\u"); advances past them.
    std::uint32_t hex4() {
        if (pos_ + 4 > s_.size()) fail("truncated \\u escape");
        std::uint32_t v = 0;
        for (int k = 0; k < 4; ++k) {
            const int d = hexDigit(s_[pos_ + k]);
            if (d < 0) failAt(pos_ + k, "invalid hex digit in \\u escape");
            v = (v << 4) | static_cast<std::uint32_t>(d);
        }
        pos_ += 4;
        return v;
    }

    std::string parseString() {
        ++pos_;  // opening quote
        std::string out;
        for (;;) {
            // Copy the run of plain ASCII at once.
            std::size_t run = pos_;
            while (run < s_.size()) {
                const auto u = static_cast<unsigned char>(s_[run]);
                if (u == '"' || u == '\\' || u < 0x20 || u >= 0x80) break;
                ++run;
            }
            out.append(s_.data() + pos_, run - pos_);
            pos_ = run;
            if (pos_ >= s_.size()) fail("unterminated string");
            const auto u = static_cast<unsigned char>(s_[pos_]);
            if (u == '"') {
                ++pos_;
                return out;
            }
            if (u < 0x20) fail("control character " + describe(s_[pos_]) + " in string");
            if (u >= 0x80) {
                // Invalid UTF-8 decodes as U+FFFD, one byte at a time (as Go does).
                const std::size_t len = validUtf8Length(s_, pos_);
                if (len == 0) {
                    appendUtf8(out, kReplacement);
                    ++pos_;
                } else {
                    out.append(s_.data() + pos_, len);
                    pos_ += len;
                }
                continue;
            }
            // Backslash escape.
            const std::size_t escAt = pos_;
            ++pos_;
            if (pos_ >= s_.size()) fail("unterminated string");
            const char e = s_[pos_++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                std::uint32_t cp = hex4();
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    // A high surrogate needs a following "\uDC00".."\uDFFF".
                    if (pos_ + 6 <= s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u') {
                        const std::size_t save = pos_;
                        pos_ += 2;
                        const std::uint32_t lo = hex4();
                        if (lo >= 0xDC00 && lo <= 0xDFFF) {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        } else {
                            cp = kReplacement;
                            pos_ = save;  // the second escape is decoded on its own
                        }
                    } else {
                        cp = kReplacement;
                    }
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    cp = kReplacement;  // lone low surrogate
                }
                appendUtf8(out, cp);
                break;
            }
            default: failAt(escAt, "invalid escape character " + describe(e));
            }
        }
    }

    Value parseNumber() {
        const std::size_t start = pos_;
        if (s_[pos_] == '-') ++pos_;
        if (pos_ >= s_.size()) fail("truncated number");
        if (s_[pos_] == '0') {
            ++pos_;
            if (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') fail("leading zero in number");
        } else if (s_[pos_] >= '1' && s_[pos_] <= '9') {
            while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        } else {
            fail("invalid number, expected a digit");
        }
        bool integral = true;
        if (pos_ < s_.size() && s_[pos_] == '.') {
            integral = false;
            ++pos_;
            if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') fail("expected a digit after '.'");
            while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        }
        if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            integral = false;
            ++pos_;
            if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
            if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') fail("expected a digit in exponent");
            while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        }
        const char* first = s_.data() + start;
        const char* last = s_.data() + pos_;
        if (integral) {
            std::int64_t i = 0;
            auto [ptr, ec] = std::from_chars(first, last, i);
            if (ec == std::errc() && ptr == last) return Value(static_cast<long long>(i));
            // Too large for int64: fall through to a double.
        }
        double d = 0;
        auto [ptr, ec] = std::from_chars(first, last, d);
        if (ec == std::errc::result_out_of_range) {
            // Underflow becomes zero (as in Go); overflow has no double to become.
            if (decimalMagnitude(first, last) < 0) return Value(*first == '-' ? -0.0 : 0.0);
            failAt(start, "number out of range");
        }
        if (ec != std::errc() || ptr != last) failAt(start, "invalid number");
        return Value(d);
    }

    /// Rough power of ten of a well-formed number literal: tells an overflow
    /// (positive) from an underflow (negative) when from_chars reports a range error.
    static long long decimalMagnitude(const char* p, const char* end) {
        if (*p == '-') ++p;
        long long mag = -1;
        bool seenDigit = false;
        long long intDigits = 0;
        while (p < end && *p >= '0' && *p <= '9') {
            if (*p != '0' || seenDigit) seenDigit = true, ++intDigits;
            ++p;
        }
        if (seenDigit) {
            mag = intDigits - 1;
        } else if (p < end && *p == '.') {
            ++p;
            long long zeros = 0;
            while (p < end && *p == '0') ++zeros, ++p;
            mag = -zeros - 1;
        }
        while (p < end && *p != 'e' && *p != 'E') ++p;
        long long exp = 0;
        if (p < end) {
            ++p;
            const bool neg = *p == '-';
            if (*p == '+' || *p == '-') ++p;
            for (; p < end; ++p) {
                if (exp < 1'000'000'000) exp = exp * 10 + (*p - '0');  // saturates; the sign is what matters
            }
            if (neg) exp = -exp;
        }
        return mag + exp;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

// ---- serialisation ----

void writeString(std::string& out, const std::string& s) {
    static const char* hex = "0123456789abcdef";
    out += '"';
    std::size_t i = 0;
    while (i < s.size()) {
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
                out.append(s, i, len);
                i += len;
            }
            continue;
        }
        switch (u) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '<':
        case '>':
        case '&':
            out += "\\u00";
            out += hex[u >> 4];
            out += hex[u & 0xF];
            break;
        default:
            if (u < 0x20) {
                out += "\\u00";
                out += hex[u >> 4];
                out += hex[u & 0xF];
            } else {
                out += static_cast<char>(u);
            }
        }
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
    case Value::Type::Int: out += std::to_string(v.asInt()); return;
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

Value parseJson(std::string_view text, JsonMode mode) { return Parser(text).parse(mode); }

std::string toJson(const Value& v, int indent) {
    std::string out;
    write(out, v, indent < 0 ? 0 : indent, 0);
    return out;
}

}  // namespace cpa::sdk
