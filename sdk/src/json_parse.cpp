// A strict RFC 8259 parser keeping the integer/float distinction.
#include <cpa/sdk/hex.hpp>
#include <cpa/sdk/json.hpp>

#include "utf8.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace cpa::sdk {

namespace {

using utf8::appendUtf8;
using utf8::validUtf8Length;
using utf8::kReplacement;

// Deep enough for any real body; shallow enough that the recursive parser
// cannot exhaust a worker thread's stack on hostile input.
constexpr int kMaxDepth = 512;
// Objects larger than this index their keys so that hostile bodies with many
// (duplicate) keys stay linear.
constexpr std::size_t kIndexThreshold = 32;


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
        std::string out = "byte 0x";
        appendHexByte(out, u);
        return out;
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
                if (members.empty()) members.reserve(4);  // most objects have several members
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

}  // namespace

Value parseJson(std::string_view text, JsonMode mode) { return Parser(text).parse(mode); }

}  // namespace cpa::sdk
