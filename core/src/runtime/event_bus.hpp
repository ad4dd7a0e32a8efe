#pragma once
// sdk::Events: synchronous publish/subscribe by topic ("request.completed").
#include <cpa/sdk/module.hpp>
#include <cpa/sdk/services.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace cpa::core {

/// Publishing copies the topic's subscriber list under a short lock and then
/// calls listeners unlocked, so concurrent publishers never wait for each
/// other. Releasing a subscription handle waits for deliveries of that
/// listener in progress on other threads: once the handle is gone the
/// listener is neither running nor called again (a module may free what its
/// listener captured right after dropping the handle).
class EventBus final : public sdk::Events {
public:
    /// Listener failures are logged to `logger` (default "cpa.core").
    explicit EventBus(std::shared_ptr<sdk::Logger> logger = nullptr);
    ~EventBus() override;

    std::shared_ptr<void> subscribe(std::string topic, Listener listener) override;
    void publish(std::string_view topic, const sdk::Value& record) override;

    /// Lock-free "no" while the bus has no subscription at all (the common
    /// `modules: [proxy]` case), else the short lookup publish() does.
    bool hasSubscribers(std::string_view topic) const override;

    std::size_t subscriberCount(std::string_view topic) const;
    /// Removes every subscription (outstanding handles become no-ops).
    void clear() noexcept;

    EventBus(const EventBus&) = delete;
    EventBus& operator=(const EventBus&) = delete;

    struct Subscriber;
    struct Shared;

private:
    std::shared_ptr<Shared> shared_;
};

}  // namespace cpa::core
