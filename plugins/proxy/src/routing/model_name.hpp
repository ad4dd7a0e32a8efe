#pragma once
// Model-name helpers of data-plane §6.1/§6.5: the thinking suffix and the
// credential prefix. Pure functions, no state.
#include <cpa/sdk/text.hpp>

#include <string>
#include <string_view>

namespace cpa::proxy {

struct SplitModel {
    std::string base;    ///< name without the suffix
    std::string suffix;  ///< raw text between the last '(' and the final ')'
    bool hasSuffix{};
};

/// "gpt-5(high)" → {"gpt-5", "high", true}: a name ending in ')' that holds a
/// '(' is split at the last '('. No validation (data-plane.md §6.1 step 1).
SplitModel splitThinkingSuffix(std::string_view model);

/// The name without its thinking suffix.
std::string stripThinkingSuffix(std::string_view model);

/// `model` without a leading "<prefix>/" (only when the prefix is non-empty and matches).
std::string stripCredentialPrefix(std::string_view model, std::string_view prefix);

using sdk::lowerAscii;
using sdk::trimAscii;
bool startsWithIgnoreCase(std::string_view s, std::string_view prefix);
bool containsIgnoreCase(std::string_view haystack, std::string_view needle);

/// Excluded-model pattern match (data-plane.md §5.2): '*' matches any substring; the first
/// piece is a prefix, the last a suffix, middle pieces occur in order.
/// Case-insensitive; an empty pattern matches nothing.
bool matchModelPattern(std::string_view pattern, std::string_view model);

}  // namespace cpa::proxy
