#pragma once
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/value.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace cpa::sdk {

class CPA_SDK_API JsonError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    ~JsonError() override;
};

enum class JsonMode {
    Document,   ///< the whole input must be exactly one JSON value (white space around it allowed)
    FirstValue  ///< decode the first value, ignore what follows (the original's "bound" bodies)
};

/// Parses JSON keeping the integer/float distinction (5 is Int, 5.0 is Double).
/// Throws JsonError with a readable message on malformed input.
CPA_SDK_API Value parseJson(std::string_view text, JsonMode mode = JsonMode::Document);

/// Serialises compactly; `<`, `>`, `&` are escaped as \u003c etc. like the original.
/// indent > 0 pretty-prints with that many spaces.
CPA_SDK_API std::string toJson(const Value& v, int indent = 0);

/// Appends `text` as a JSON string literal, escaped as toJson escapes strings
/// (invalid UTF-8 → U+FFFD). For writers that build JSON without a Value.
CPA_SDK_API void appendJsonString(std::string& out, std::string_view text);

}  // namespace cpa::sdk
