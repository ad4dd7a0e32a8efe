#include "translate/gemini_names.hpp"

namespace cpa::proxy::translate::gemini {

namespace {

bool allowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == ':' || c == '-';
}

bool startsWell(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

constexpr std::size_t kMaxName = 64;

}  // namespace

std::string sanitizeName(std::string_view name) {
    if (name.empty()) return {};
    std::string out;
    out.reserve(name.size() + 1);
    for (char c : name) out.push_back(allowed(c) ? c : '_');
    if (!startsWell(out.front())) {
        if (out.size() > kMaxName - 1) out.resize(kMaxName - 1);
        out.insert(out.begin(), '_');
    }
    if (out.size() > kMaxName) out.resize(kMaxName);
    return out;
}

std::string ToolNames::sent(const std::string& original) {
    if (const auto it = forward_.find(original); it != forward_.end()) return it->second;
    std::string name = sanitizeName(original);
    const std::string base = name;
    // Another original already owns this spelling: add _2, _3, … (within 64).
    for (int n = 2; used_.count(name) != 0; ++n) {
        const std::string suffix = "_" + std::to_string(n);
        name = base.substr(0, kMaxName - suffix.size()) + suffix;
    }
    used_.insert(name);
    forward_.emplace(original, name);
    if (name != original) exchange_.toolNameBack.emplace(name, original);
    return name;
}

}  // namespace cpa::proxy::translate::gemini
