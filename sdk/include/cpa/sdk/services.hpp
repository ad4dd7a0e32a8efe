#pragma once
// Cross-module lookup and events: modules meet here, never by including each other.
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/value.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace cpa::sdk {

/// A registry of services by versioned id, e.g. "cpa.UsageSink/1". The id
/// names the interface type and its contract; a new contract gets a new id.
class CPA_SDK_API Services {
public:
    virtual ~Services();
    /// Throws std::logic_error when the id is already provided.
    virtual void provide(std::string id, std::shared_ptr<void> service) = 0;
    virtual std::shared_ptr<void> find(std::string_view id) const = 0;

    template <class T>
    std::shared_ptr<T> get(std::string_view id) const {
        return std::static_pointer_cast<T>(find(id));
    }
};

/// Publish/subscribe of records such as "request.completed" (see docs).
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

/// Well-known topics.
inline constexpr std::string_view kTopicRequestCompleted = "request.completed";

}  // namespace cpa::sdk
