#include "model_catalogue.hpp"

#include "auth_dir.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/text.hpp>

namespace cpa::oauth {

std::optional<sdk::Value> catalogueModels(std::string_view channel) {
    const std::string key = sdk::trimAscii(channel);
    for (const CatalogueChannel& c : catalogueChannels()) {
        if (!sdk::iequals(key, c.channel)) continue;
        sdk::Value models = sdk::parseJson(c.modelsJson);
        if (!models.isArray() || models.size() == 0) return std::nullopt;
        return models;
    }
    return std::nullopt;
}

}  // namespace cpa::oauth
