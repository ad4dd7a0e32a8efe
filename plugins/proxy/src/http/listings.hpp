#pragma once
// The model listing bodies of data-plane §5.4 from registry entries.
#include <cpa/sdk/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cpa::proxy {

sdk::Value openAIModelList(const std::vector<sdk::Value>& models);
sdk::Value claudeModelList(const std::vector<sdk::Value>& models);
sdk::Value geminiModelList(const std::vector<sdk::Value>& models);
/// GET /v1beta/models/<x>: nullopt when no model matches.
std::optional<sdk::Value> geminiModel(const std::vector<sdk::Value>& models, const std::string& name);

}  // namespace cpa::proxy
