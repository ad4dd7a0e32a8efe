#pragma once
// The static model catalogue of GET /model-definitions/:channel
// (auth-files.md §5), shipped as data in model_catalogue_data.cpp.
#include <cpa/sdk/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::oauth {

struct CatalogueChannel {
    const char* channel;
    const char* modelsJson;  ///< JSON array of model objects in wire order
};

/// Generated data (tools/gen_model_catalogue.py).
std::vector<CatalogueChannel> catalogueChannels();

/// The models of a channel (matched case-insensitively after trimming);
/// nullopt for an unknown channel or an empty catalogue.
std::optional<sdk::Value> catalogueModels(std::string_view channel);

}  // namespace cpa::oauth
