#include "registry/catalog.hpp"

#include <cpa/sdk/json.hpp>

#include <map>
#include <string>

namespace cpa::proxy {

namespace {

using Sections = std::map<std::string, std::vector<sdk::Value>, std::less<>>;

const Sections& sections() {
    // Function-local: built on first use, never during dlopen (architecture §7.5).
    static const Sections parsed = [] {
        Sections out;
        const sdk::Value doc = sdk::parseJson(builtinCatalogJson());
        for (const auto& [name, list] : doc.asObject()) {
            if (!list.isArray()) continue;
            auto& models = out[name];
            for (const sdk::Value& m : list.asArray())
                if (m.isObject() && m.find("id")) models.push_back(m);
        }
        return out;
    }();
    return parsed;
}

}  // namespace

const std::vector<sdk::Value>& catalogSection(std::string_view section) {
    static const std::vector<sdk::Value> empty;
    const auto& all = sections();
    const auto it = all.find(section);
    return it == all.end() ? empty : it->second;
}

const sdk::Value* catalogLookup(std::string_view name) {
    for (const auto& [section, models] : sections())
        for (const sdk::Value& m : models)
            if (m.find("id")->stringOr("") == name) return &m;
    return nullptr;
}

std::vector<std::string> previewVariants(std::string_view section, std::string_view model) {
    std::vector<std::string> out;
    for (const sdk::Value& m : catalogSection(section)) {
        if (m.find("id")->stringOr("") != model) continue;
        if (const sdk::Value* p = m.find("preview"); p && p->isArray())
            for (const sdk::Value& v : p->asArray())
                if (v.isString() && !v.asString().empty()) out.push_back(v.asString());
        break;
    }
    return out;
}

}  // namespace cpa::proxy
