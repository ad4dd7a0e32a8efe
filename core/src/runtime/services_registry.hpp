#pragma once
// sdk::Services: cross-module lookup by versioned id ("cpa.UsageSink/1").
#include <cpa/sdk/services.hpp>

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::core {

class ServicesRegistry final : public sdk::Services {
public:
    ServicesRegistry() = default;
    ~ServicesRegistry() override;

    /// Throws std::logic_error when `id` is already provided and
    /// std::invalid_argument for an empty id or a null service.
    void provide(std::string id, std::shared_ptr<void> service) override;
    std::shared_ptr<void> find(std::string_view id) const override;

    /// Provided ids, sorted (diagnostics).
    std::vector<std::string> ids() const;
    /// Drops every service (shutdown: after modules stopped, before they are
    /// destroyed). The registry's references are released outside its lock.
    void clear() noexcept;

private:
    mutable std::shared_mutex mutex_;
    std::map<std::string, std::shared_ptr<void>, std::less<>> services_;
};

}  // namespace cpa::core
