#pragma once
// Byte-level access to the top-level members of a JSON object body, without
// building a tree: the request path reads "model"/"stream" and rewrites
// "model" in place, as the original does with gjson/sjson, so the rest of the
// client's bytes reach the upstream unchanged (data-plane §7.1).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cpa::proxy {

struct JsonMember {
    std::size_t valueBegin{}, valueEnd{};  ///< the value's bytes [begin, end)
    int count{};                           ///< occurrences of the key (duplicates: callers fall back)
    bool found() const { return count > 0; }
};

/// Result of scanning one object text for a few top-level keys.
struct JsonObjectScan {
    std::size_t lastValueEnd{};  ///< end of the last member's value (0 when the object is empty)
    std::size_t openBrace{};     ///< position of the opening '{'
};

/// Scans `text` as exactly one JSON object (same grammar as the SDK parser:
/// strings without raw control characters, valid escapes, JSON numbers, at
/// most 512 nesting levels, only whitespace around it) and fills `out[i]` for
/// `keys[i]` (compared with the raw key bytes). nullopt when `text` is not such
/// an object.
std::optional<JsonObjectScan> scanJsonObject(std::string_view text, const std::string_view* keys, JsonMember* out,
                                             std::size_t count);

/// The string a JSON string literal `raw` (with its quotes) stands for;
/// nullopt when `raw` is not a string.
std::optional<std::string> jsonStringValue(std::string_view raw);

/// JSON string literal for `s` (quotes included), escaped like the SDK writer.
std::string jsonQuote(std::string_view s);

/// `text` with the top-level member `key` set to the JSON `valueJson`: the
/// value bytes replaced where the key occurs once, or the member appended
/// after the last one. Every other byte is kept. nullopt when `text` is not a
/// JSON object or holds `key` more than once (callers then use the full parser).
std::optional<std::string> setTopLevelMember(std::string_view text, std::string_view key, std::string_view valueJson);

}  // namespace cpa::proxy
