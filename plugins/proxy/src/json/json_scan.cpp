#include "json/json_scan.hpp"

#include <cpa/sdk/json.hpp>

#include <cctype>

namespace cpa::proxy {

namespace {

constexpr int kMaxDepth = 512;  // as the SDK parser

/// A validating scanner over one JSON text; every method returns false on a
/// grammar error and leaves pos_ after what it consumed.
class Scanner {
public:
    explicit Scanner(std::string_view s) : s_(s) {}

    void ws() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            ++pos_;
    }
    bool atEnd() const { return pos_ >= s_.size(); }
    bool peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
    std::size_t pos() const { return pos_; }
    void advance() { ++pos_; }

    bool string() {
        if (!peek('"')) return false;
        ++pos_;
        while (pos_ < s_.size()) {
            const auto u = static_cast<unsigned char>(s_[pos_]);
            if (u == '"') {
                ++pos_;
                return true;
            }
            if (u < 0x20) return false;
            if (u != '\\') {  // invalid UTF-8 is accepted (the parser decodes it as U+FFFD)
                ++pos_;
                continue;
            }
            if (++pos_ >= s_.size()) return false;
            const char e = s_[pos_++];
            if (e == 'u') {
                if (pos_ + 4 > s_.size()) return false;
                for (int k = 0; k < 4; ++k)
                    if (!std::isxdigit(static_cast<unsigned char>(s_[pos_ + k]))) return false;
                pos_ += 4;
            } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
                return false;
            }
        }
        return false;
    }

    bool value(int depth) {
        if (atEnd()) return false;
        switch (s_[pos_]) {
            case '{': return object(depth + 1, nullptr, nullptr, 0, nullptr);
            case '[': return array(depth + 1);
            case '"': return string();
            case 't': return literal("true");
            case 'f': return literal("false");
            case 'n': return literal("null");
            default: return number();
        }
    }

    /// An object at pos_; at depth 1 (top level) records the requested keys.
    bool object(int depth, const std::string_view* keys, JsonMember* out, std::size_t count, JsonObjectScan* scan) {
        if (depth > kMaxDepth || !peek('{')) return false;
        ++pos_;
        ws();
        if (peek('}')) {
            ++pos_;
            return true;
        }
        for (;;) {
            ws();
            const std::size_t keyBegin = pos_;
            if (!string()) return false;
            const std::string_view key = s_.substr(keyBegin + 1, pos_ - keyBegin - 2);
            ws();
            if (!peek(':')) return false;
            ++pos_;
            ws();
            const std::size_t valueBegin = pos_;
            if (!value(depth)) return false;
            for (std::size_t i = 0; i < count; ++i) {
                if (key != keys[i]) continue;
                if (out[i].count++ == 0) out[i].valueBegin = valueBegin, out[i].valueEnd = pos_;
            }
            if (scan) scan->lastValueEnd = pos_;
            ws();
            if (peek(',')) {
                ++pos_;
                continue;
            }
            if (peek('}')) {
                ++pos_;
                return true;
            }
            return false;
        }
    }

private:
    bool array(int depth) {
        if (depth > kMaxDepth) return false;
        ++pos_;
        ws();
        if (peek(']')) {
            ++pos_;
            return true;
        }
        for (;;) {
            ws();
            if (!value(depth)) return false;
            ws();
            if (peek(',')) {
                ++pos_;
                continue;
            }
            if (peek(']')) {
                ++pos_;
                return true;
            }
            return false;
        }
    }

    bool literal(std::string_view word) {
        if (s_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }

    bool digits() {
        const std::size_t start = pos_;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        return pos_ > start;
    }

    bool number() {
        if (peek('-')) ++pos_;
        if (peek('0')) {
            ++pos_;
            if (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') return false;
        } else if (!digits()) {
            return false;
        }
        if (peek('.')) {
            ++pos_;
            if (!digits()) return false;
        }
        if (peek('e') || peek('E')) {
            ++pos_;
            if (peek('+') || peek('-')) ++pos_;
            if (!digits()) return false;
        }
        return true;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

}  // namespace

std::optional<JsonObjectScan> scanJsonObject(std::string_view text, const std::string_view* keys, JsonMember* out,
                                             std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) out[i] = JsonMember{};
    Scanner sc(text);
    JsonObjectScan scan;
    sc.ws();
    scan.openBrace = sc.pos();
    if (!sc.object(1, keys, out, count, &scan)) return std::nullopt;
    sc.ws();
    if (!sc.atEnd()) return std::nullopt;
    return scan;
}

std::optional<std::string> jsonStringValue(std::string_view raw) {
    if (raw.size() < 2 || raw.front() != '"') return std::nullopt;
    const std::string_view inner = raw.substr(1, raw.size() - 2);
    bool plain = true;
    for (const char c : inner) plain = plain && c != '\\' && static_cast<unsigned char>(c) < 0x80;
    if (plain) return std::string(inner);
    try {  // escapes or non-ASCII: decode exactly as the SDK parser does
        const sdk::Value v = sdk::parseJson(raw);
        if (v.isString()) return v.asString();
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

std::string jsonQuote(std::string_view s) { return sdk::toJson(sdk::Value(std::string(s))); }

std::optional<std::string> setTopLevelMember(std::string_view text, std::string_view key, std::string_view valueJson) {
    JsonMember m;
    const auto scan = scanJsonObject(text, &key, &m, 1);
    if (!scan || m.count > 1) return std::nullopt;
    std::string out;
    out.reserve(text.size() + key.size() + valueJson.size() + 4);
    if (m.found()) {
        out.append(text.substr(0, m.valueBegin)).append(valueJson).append(text.substr(m.valueEnd));
        return out;
    }
    // Appended after the last member (or inside the empty object).
    const std::size_t at = scan->lastValueEnd ? scan->lastValueEnd : scan->openBrace + 1;
    out.append(text.substr(0, at));
    if (scan->lastValueEnd) out += ',';
    out.append(jsonQuote(key)).append(":").append(valueJson).append(text.substr(at));
    return out;
}

}  // namespace cpa::proxy
