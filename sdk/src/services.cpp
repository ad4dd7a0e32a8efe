// The type-checked service storage shared by every Services implementation.
#include <cpa/sdk/services.hpp>

#include <boost/core/demangle.hpp>

#include <mutex>
#include <stdexcept>

namespace cpa::sdk {

ServiceTable::ServiceTable() = default;
ServiceTable::~ServiceTable() = default;

void ServiceTable::provide(std::string id, std::type_index type, std::shared_ptr<void> service) {
    if (id.empty()) throw std::invalid_argument("service id must not be empty");
    if (!service) throw std::invalid_argument("service '" + id + "' is null");
    std::unique_lock lock(mutex_);
    if (entries_.count(id) != 0) throw std::logic_error("service '" + id + "' is already provided");
    entries_.emplace(std::move(id), Entry{type, std::move(service)});
}

std::shared_ptr<void> ServiceTable::find(std::string_view id, std::type_index type) const {
    std::shared_lock lock(mutex_);
    const auto it = entries_.find(id);
    if (it == entries_.end()) return nullptr;
    // type_index compares type names across libraries (RTLD_LOCAL copies of
    // one type's typeinfo compare equal), so only a real mismatch lands here.
    if (it->second.type != type)
        throw std::logic_error("service '" + std::string(id) + "' is provided as " +
                               boost::core::demangle(it->second.type.name()) + ", asked for as " +
                               boost::core::demangle(type.name()));
    return it->second.service;
}

std::vector<std::string> ServiceTable::ids() const {
    std::shared_lock lock(mutex_);
    std::vector<std::string> out;
    out.reserve(entries_.size());
    for (const auto& entry : entries_) out.push_back(entry.first);
    return out;
}

void ServiceTable::clear() noexcept {
    decltype(entries_) dropped;
    {
        std::unique_lock lock(mutex_);
        dropped.swap(entries_);
    }
    dropped.clear();
}

}  // namespace cpa::sdk
