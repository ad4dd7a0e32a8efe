#include "config/key_suggestion.hpp"

#include <algorithm>
#include <cctype>

namespace cpa::core {

std::size_t editDistance(std::string_view a, std::string_view b) {
    // Optimal string alignment over three rolling rows: keys are short.
    const std::size_t n = b.size();
    std::vector<std::size_t> prev2(n + 1), prev(n + 1), cur(n + 1);
    for (std::size_t j = 0; j <= n; ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= n; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
            }
        }
        prev2.swap(prev);
        prev.swap(cur);
    }
    return prev[n];
}

std::optional<std::string> closestKey(std::string_view word, const std::vector<std::string>& candidates) {
    // Case is compared too: YAML keys are case-sensitive, so "Port" is a typo of "port".
    std::string lowered(word);
    for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::size_t limit = std::min<std::size_t>(3, std::max<std::size_t>(1, word.size() / 4));
    std::optional<std::string> best;
    std::size_t bestDistance = limit + 1;
    for (const std::string& c : candidates) {
        if (c == word) return std::nullopt;
        const std::size_t d = std::min(editDistance(word, c), editDistance(lowered, c));
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    return best;
}

}  // namespace cpa::core
