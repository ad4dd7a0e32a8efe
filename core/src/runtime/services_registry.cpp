#include "runtime/services_registry.hpp"

#include <mutex>
#include <stdexcept>
#include <utility>

namespace cpa::core {

ServicesRegistry::~ServicesRegistry() = default;

void ServicesRegistry::provide(std::string id, std::shared_ptr<void> service) {
    if (id.empty()) throw std::invalid_argument("service id must not be empty");
    if (!service) throw std::invalid_argument("service '" + id + "' is null");
    std::unique_lock lock(mutex_);
    if (services_.count(id) != 0) throw std::logic_error("service '" + id + "' is already provided");
    services_.emplace(std::move(id), std::move(service));
}

std::shared_ptr<void> ServicesRegistry::find(std::string_view id) const {
    std::shared_lock lock(mutex_);
    const auto it = services_.find(id);
    return it == services_.end() ? nullptr : it->second;
}

std::vector<std::string> ServicesRegistry::ids() const {
    std::shared_lock lock(mutex_);
    std::vector<std::string> out;
    out.reserve(services_.size());
    for (const auto& entry : services_) out.push_back(entry.first);
    return out;
}

void ServicesRegistry::clear() noexcept {
    decltype(services_) dropped;
    {
        std::unique_lock lock(mutex_);
        dropped.swap(services_);
    }
    // A service's destructor may look up other services: it runs unlocked.
    dropped.clear();
}

}  // namespace cpa::core
