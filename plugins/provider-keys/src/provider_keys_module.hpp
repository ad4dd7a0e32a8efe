#pragma once
// provider-keys: /api-keys, the five provider-key families, the two OAuth
// maps and /api-key-usage (management-api-core.md §5.9–§5.13).
#include "key_usage.hpp"

#include <cpa/sdk/key_list_resource.hpp>
#include <cpa/sdk/module.hpp>

#include <memory>
#include <vector>

namespace cpa::provider_keys {

class ProviderKeysModule final : public sdk::Module {
public:
    void configure(sdk::ModuleContext& context) override;
    void registerRoutes(sdk::RouteRegistry& routes) override;
    void stop() noexcept override;

private:
    sdk::ModuleContext* context_ = nullptr;
    std::vector<std::unique_ptr<sdk::KeyListResource>> families_;
    std::shared_ptr<KeyUsage> usage_ = std::make_shared<KeyUsage>();
    std::shared_ptr<void> usageSubscription_;
    sdk::Subscription configSubscription_;
};

}  // namespace cpa::provider_keys
