#include "upstream/header_list.hpp"

#include <cpa/sdk/text.hpp>

#include <algorithm>

namespace cpa::proxy::upstream {

std::string getHeader(const HeaderList& headers, std::string_view name) {
    for (const auto& [k, v] : headers)
        if (cpa::sdk::iequals(k, name)) return v;
    return {};
}

bool hasHeader(const HeaderList& headers, std::string_view name) {
    return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return cpa::sdk::iequals(h.first, name); });
}

void setHeader(HeaderList& headers, std::string_view name, std::string value) {
    auto it = std::find_if(headers.begin(), headers.end(), [&](const auto& h) { return cpa::sdk::iequals(h.first, name); });
    if (it == headers.end()) {
        headers.emplace_back(std::string(name), std::move(value));
        return;
    }
    it->second = std::move(value);
    headers.erase(std::remove_if(std::next(it), headers.end(),
                                 [&](const auto& h) { return cpa::sdk::iequals(h.first, name); }),
                  headers.end());
}

void removeHeader(HeaderList& headers, std::string_view name) {
    headers.erase(std::remove_if(headers.begin(), headers.end(),
                                 [&](const auto& h) { return cpa::sdk::iequals(h.first, name); }),
                  headers.end());
}

}  // namespace cpa::proxy::upstream
