#include "runtime/services_registry.hpp"

#include <utility>

namespace cpa::core {

ServicesRegistry::~ServicesRegistry() = default;

void ServicesRegistry::provideAs(std::string id, std::type_index type, std::shared_ptr<void> service) {
    table_.provide(std::move(id), type, std::move(service));
}

std::shared_ptr<void> ServicesRegistry::findAs(std::string_view id, std::type_index type) const {
    return table_.find(id, type);
}

std::vector<std::string> ServicesRegistry::ids() const { return table_.ids(); }

void ServicesRegistry::clear() noexcept { table_.clear(); }

}  // namespace cpa::core
