#pragma once
// sdk::ModelListing ("cpa.ModelListing/1") over the proxy's ModelRegistry:
// what /v0/management/auth-files/models reads (auth-files.md §4).
#include "registry/model_registry.hpp"

#include <cpa/sdk/model_listing.hpp>

namespace cpa::proxy {

class ModelListingAdapter final : public sdk::ModelListing {
public:
    /// `registry` must outlive the adapter's users: the module provides it as
    /// a service, and services are cleared before modules are destroyed.
    explicit ModelListingAdapter(const ModelRegistry& registry) : registry_(registry) {}
    std::vector<sdk::ModelEntry> modelsForCredential(std::string_view credentialId) const override;

private:
    const ModelRegistry& registry_;
};

/// Registry info → listing entry: the string fields, "" where absent or not a string.
sdk::ModelEntry modelEntryOf(const sdk::Value& info);

}  // namespace cpa::proxy
