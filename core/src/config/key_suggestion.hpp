#pragma once
// "Did you mean …?" for misspelt config keys: the closest declared name by
// edit distance, when it is close enough to be a typo rather than another key.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::core {

/// Levenshtein distance (insert, delete, substitute; each costs 1), plus
/// adjacent transpositions ("managment" vs "management" is 1).
std::size_t editDistance(std::string_view a, std::string_view b);

/// The candidate closest to `word` when at most max(1, len/4) edits away
/// (capped at 3), ties broken by the order of `candidates`; nullopt otherwise
/// or when `word` is itself a candidate.
std::optional<std::string> closestKey(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace cpa::core
