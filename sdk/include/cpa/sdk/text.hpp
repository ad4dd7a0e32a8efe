#pragma once
// Small text helpers shared by the core and modules.
#include <cctype>
#include <string>
#include <string_view>

namespace cpa::sdk {

/// ASCII case-insensitive equality (HTTP header names, JSON member names, "Bearer").
inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

/// ASCII white space removed at both ends (config values, model names).
inline std::string trimAscii(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n\v\f");
    if (first == std::string_view::npos) return {};
    return std::string(s.substr(first, s.find_last_not_of(" \t\r\n\v\f") - first + 1));
}

/// ASCII lower case.
inline std::string lowerAscii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace cpa::sdk
