#pragma once
// sdk::Services: cross-module lookup by typed, versioned key ("cpa.ModelListing/1").
#include <cpa/sdk/services.hpp>

#include <memory>
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
    void provideAs(std::string id, std::type_index type, std::shared_ptr<void> service) override;
    /// Throws std::logic_error when `id` was provided as another type.
    std::shared_ptr<void> findAs(std::string_view id, std::type_index type) const override;

    /// Provided ids, sorted (diagnostics).
    std::vector<std::string> ids() const;
    /// Drops every service (shutdown: after modules stopped, before they are
    /// destroyed). The registry's references are released outside its lock.
    void clear() noexcept;

private:
    sdk::ServiceTable table_;
};

}  // namespace cpa::core
