#include "json_cursor.hpp"

#include <cpa/sdk/json.hpp>

#include <charconv>

namespace cpa::usage {

std::string_view JsonCursor::string(std::string& storage) {
    if (peek() != '"') throw Bail{};
    const std::size_t start = pos_;
    std::size_t i = pos_ + 1;
    while (i < s_.size()) {
        const auto u = static_cast<unsigned char>(s_[i]);
        if (u == '"' || u == '\\' || u < 0x20 || u >= 0x80) break;
        ++i;
    }
    if (i < s_.size() && s_[i] == '"') {
        pos_ = i + 1;
        return s_.substr(start + 1, i - start - 1);
    }
    while (i < s_.size() && s_[i] != '"') i += s_[i] == '\\' ? 2 : 1;
    if (i >= s_.size()) throw Bail{};
    pos_ = i + 1;
    try {
        sdk::Value v = sdk::parseJson(s_.substr(start, pos_ - start));
        storage = v.asString();
    } catch (...) {
        throw Bail{};
    }
    return storage;
}

std::pair<bool, std::int64_t> JsonCursor::number() {
    const std::size_t start = pos_;
    while (pos_ < s_.size()) {
        const char c = s_[pos_];
        if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) break;
        ++pos_;
    }
    const std::string_view tok = s_.substr(start, pos_ - start);
    // Fast path: -?(0|[1-9][0-9]{0,17}) always fits an int64.
    const std::size_t digits = tok.size() - (!tok.empty() && tok[0] == '-' ? 1 : 0);
    const std::string_view d = tok.substr(tok.size() - digits);
    bool plain = digits >= 1 && digits <= 18 && (d[0] != '0' || digits == 1);
    for (char c : d) plain = plain && c >= '0' && c <= '9';
    if (plain) {
        std::int64_t v = 0;
        std::from_chars(tok.data(), tok.data() + tok.size(), v);
        return {true, v};
    }
    try {
        const sdk::Value v = sdk::parseJson(tok);
        return v.isInt() ? std::pair<bool, std::int64_t>{true, v.asInt()} : std::pair<bool, std::int64_t>{false, 0};
    } catch (...) {
        throw Bail{};
    }
}

void JsonCursor::skip(int depth) {
    ws();
    const char c = peek();
    if (c == '{' || c == '[') {
        if (depth + 1 > kMaxDepth) throw Bail{};
        const char close = c == '{' ? '}' : ']';
        ++pos_;
        ws();
        if (peek() == close) {
            ++pos_;
            return;
        }
        for (;;) {
            if (c == '{') {
                ws();
                std::string storage;
                string(storage);
                expect(':');
            }
            skip(depth + 1);
            ws();
            const char next = peek();
            ++pos_;
            if (next == close) return;
            if (next != ',') throw Bail{};
        }
    }
    if (c == '"') {
        std::string storage;
        string(storage);
    } else if (c == 't') {
        literal("true");
    } else if (c == 'f') {
        literal("false");
    } else if (c == 'n') {
        literal("null");
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        number();
    } else {
        throw Bail{};
    }
}

}  // namespace cpa::usage
