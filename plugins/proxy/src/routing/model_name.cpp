#include "routing/model_name.hpp"

#include <cctype>
#include <vector>

namespace cpa::proxy {

SplitModel splitThinkingSuffix(std::string_view model) {
    SplitModel out;
    if (!model.empty() && model.back() == ')') {
        const auto open = model.rfind('(');
        if (open != std::string_view::npos) {
            out.base = std::string(model.substr(0, open));
            out.suffix = std::string(model.substr(open + 1, model.size() - open - 2));
            out.hasSuffix = true;
            return out;
        }
    }
    out.base = std::string(model);
    return out;
}

std::string stripThinkingSuffix(std::string_view model) { return splitThinkingSuffix(model).base; }

std::string stripCredentialPrefix(std::string_view model, std::string_view prefix) {
    if (prefix.empty() || model.size() <= prefix.size() || model.substr(0, prefix.size()) != prefix ||
        model[prefix.size()] != '/') {
        return std::string(model);
    }
    return std::string(model.substr(prefix.size() + 1));
}

bool startsWithIgnoreCase(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && lowerAscii(s.substr(0, prefix.size())) == lowerAscii(prefix);
}

bool containsIgnoreCase(std::string_view haystack, std::string_view needle) {
    return lowerAscii(haystack).find(lowerAscii(needle)) != std::string::npos;
}

bool matchModelPattern(std::string_view patternIn, std::string_view modelIn) {
    const std::string pattern = lowerAscii(trimAscii(patternIn));
    std::string value = lowerAscii(modelIn);
    if (pattern.empty()) return false;
    if (pattern.find('*') == std::string::npos) return pattern == value;
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const auto star = pattern.find('*', start);
        parts.push_back(pattern.substr(start, star == std::string::npos ? std::string::npos : star - start));
        if (star == std::string::npos) break;
        start = star + 1;
    }
    std::string_view rest = value;
    const std::string& head = parts.front();
    if (!head.empty()) {
        if (rest.substr(0, head.size()) != head) return false;
        rest.remove_prefix(head.size());
    }
    const std::string& tail = parts.back();
    if (!tail.empty()) {
        if (rest.size() < tail.size() || rest.substr(rest.size() - tail.size()) != tail) return false;
        rest.remove_suffix(tail.size());
    }
    for (std::size_t i = 1; i + 1 < parts.size(); ++i) {
        if (parts[i].empty()) continue;
        const auto at = rest.find(parts[i]);
        if (at == std::string_view::npos) return false;
        rest.remove_prefix(at + parts[i].size());
    }
    return true;
}

}  // namespace cpa::proxy
