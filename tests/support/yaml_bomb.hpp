#pragma once
// A "billion laughs" YAML document for the config limit tests.
#include <string>

namespace cpa::test {

/// `levels` anchors, each a list of ten aliases of the previous one: a few
/// hundred bytes that expand to 10^(levels+1) scalars.
inline std::string aliasBomb(int levels) {
    std::string text = "bomb0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i <= levels; ++i) {
        const std::string prev = "*a" + std::to_string(i - 1);
        text += "bomb" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
        for (int j = 0; j < 10; ++j) text += (j ? "," : "") + prev;
        text += "]\n";
    }
    return text;
}

}  // namespace cpa::test
