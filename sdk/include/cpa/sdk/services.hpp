#pragma once
// Cross-module lookup and events: modules meet here, never by including each other.
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/value.hpp>

#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeindex>
#include <vector>

namespace cpa::sdk {

/// A versioned service id that carries its interface type, e.g.
///   inline constexpr ServiceKey<ModelListing> kModelListingService{"cpa.ModelListing/1"};
/// A new contract gets a new id. Define each key once, in the header of its interface.
template <class T>
struct ServiceKey {
    using Type = T;
    std::string_view id;
};

/// A registry of services by typed key. The registry records the type a
/// service was provided as; asking for it as another type is a checked
/// failure (std::logic_error naming both types), never a bad cast. Since SDK 2.0.
class CPA_SDK_API Services {
public:
    virtual ~Services();

    /// Throws std::logic_error when the id is already provided and
    /// std::invalid_argument for an empty id or a null service.
    template <class T>
    void provide(ServiceKey<T> key, std::type_identity_t<std::shared_ptr<T>> service) {
        provideAs(std::string(key.id), std::type_index(typeid(T)), std::move(service));
    }
    /// The service or null when nobody provides the id.
    template <class T>
    std::shared_ptr<T> get(ServiceKey<T> key) const {
        return std::static_pointer_cast<T>(findAs(key.id, std::type_index(typeid(T))));
    }

    /// The untyped halves behind provide/get: `type` is the type the
    /// service is provided as / asked for. findAs throws std::logic_error
    /// when the id was provided as another type.
    virtual void provideAs(std::string id, std::type_index type, std::shared_ptr<void> service) = 0;
    virtual std::shared_ptr<void> findAs(std::string_view id, std::type_index type) const = 0;
};

/// The storage every Services implementation shares (the core's registry,
/// the testing fake): id → (type, service), thread-safe, type-checked.
class CPA_SDK_API ServiceTable {
public:
    ServiceTable();
    ~ServiceTable();
    void provide(std::string id, std::type_index type, std::shared_ptr<void> service);
    std::shared_ptr<void> find(std::string_view id, std::type_index type) const;
    /// Provided ids, sorted (diagnostics).
    std::vector<std::string> ids() const;
    /// Drops every service; their destructors run outside the lock (they may look up others).
    void clear() noexcept;

private:
    struct Entry {
        std::type_index type;
        std::shared_ptr<void> service;
    };
    mutable std::shared_mutex mutex_;
    std::map<std::string, Entry, std::less<>> entries_;
};

/// Publish/subscribe of records such as kTopicRequestCompleted (see docs).
class CPA_SDK_API Events {
public:
    using Listener = std::function<void(const Value& record)>;
    virtual ~Events();
    /// The handle ends the subscription when released.
    virtual std::shared_ptr<void> subscribe(std::string topic, Listener listener) = 0;
    /// Delivers synchronously to current subscribers; listener exceptions are
    /// logged and swallowed.
    virtual void publish(std::string_view topic, const Value& record) = 0;
    /// Whether `topic` has a subscriber right now, so a publisher may skip
    /// building a record nobody reads. Ask per publication (modules come and
    /// go on reloads). The default says true: an Events implementation that
    /// cannot tell never loses a record. Added in SDK 1.2 (plugin ABI 1.2).
    virtual bool hasSubscribers(std::string_view /*topic*/) const { return true; }
};

/// Well-known topics, each defined here only.
/// One record per client request the data plane answered (request logs).
inline constexpr std::string_view kTopicRequestCompleted = "request.completed";
/// The kTopicRequestCompleted record of a request that failed (status >= 400
/// or upstream errors), and only of those: a subscriber that keeps failures
/// alone (the error-only request log) listens here, so a successful request
/// builds no record and captures nothing for it. SDK 2.4.
inline constexpr std::string_view kTopicRequestFailed = "request.failed";
/// One record per upstream attempt (usage statistics, /api-key-usage).
inline constexpr std::string_view kTopicUsageRecord = "usage.record";

}  // namespace cpa::sdk
