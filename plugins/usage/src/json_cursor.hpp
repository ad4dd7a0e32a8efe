#pragma once
// A validating cursor over JSON text for the streamed import: the grammar of
// sdk::parseJson (same depth limit; strings and numbers other than plain ones
// decoded by sdk::parseJson itself, token by token), without building values.
// Whatever it does not accept throws Bail.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace cpa::usage {

/// Thrown when the text is not JSON the cursor decides (the caller then
/// leaves the body to the tree decoder).
struct Bail {};

class JsonCursor {
public:
    static constexpr int kMaxDepth = 512;  // sdk::parseJson's limit

    explicit JsonCursor(std::string_view text) : s_(text) {}

    bool atEnd() const { return pos_ >= s_.size(); }
    char peek() const {
        if (atEnd()) throw Bail{};
        return s_[pos_];
    }
    void ws() {
        while (pos_ < s_.size()) {
            const char c = s_[pos_];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
            ++pos_;
        }
    }
    void expect(char c) {
        ws();
        if (peek() != c) throw Bail{};
        ++pos_;
    }
    void literal(std::string_view word) {
        if (s_.substr(pos_, word.size()) != word) throw Bail{};
        pos_ += word.size();
    }
    /// A string token decoded exactly as sdk::parseJson does; the view is
    /// into the text, or into `storage` when the token had to be decoded.
    std::string_view string(std::string& storage);
    /// A number token: {is an integer (sdk::Value::isInt), its value}.
    std::pair<bool, std::int64_t> number();
    /// Validates and skips any value inside a container at level `depth`.
    void skip(int depth);
    /// Consumes a `null` if one comes next.
    bool takeNull() {
        ws();
        if (peek() != 'n') return false;
        literal("null");
        return true;
    }

    /// Iterates the members of an object at `depth` (the value is already
    /// known to start with '{'); `member(key)` must consume the value.
    template <typename F>
    void members(int depth, F&& member) {
        if (depth > kMaxDepth) throw Bail{};
        ++pos_;  // '{'
        ws();
        if (peek() == '}') {
            ++pos_;
            return;
        }
        for (;;) {
            ws();
            std::string storage;
            const std::string_view key = string(storage);
            expect(':');
            member(key);
            ws();
            const char next = peek();
            ++pos_;
            if (next == '}') return;
            if (next != ',') throw Bail{};
        }
    }

protected:
    std::string_view s_;
    std::size_t pos_ = 0;
};

}  // namespace cpa::usage
