#pragma once
// A ModuleContext for unit tests: in-memory config, recording logger,
// services and events. Thread-safe (handlers may run on several threads).
#include <cpa/sdk/module.hpp>
#include <cpa/sdk/services.hpp>
#include <cpa/sdk/testing/in_memory_config_store.hpp>

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::sdk::testing {

/// Type-checked like the core's registry (same ServiceTable). A new
/// FakeContext's services already hold kCredentialSourcesService, as the
/// core's do.
class FakeServices : public Services {
public:
    /// Throws std::logic_error when the id is already provided.
    void provideAs(std::string id, std::type_index type, std::shared_ptr<void> service) override;
    std::shared_ptr<void> findAs(std::string_view id, std::type_index type) const override;
    std::vector<std::string> ids() const;

private:
    ServiceTable table_;
};

/// Delivers synchronously like the core and records every publication.
class FakeEvents : public Events {
public:
    struct Published {
        std::string topic;
        Value record;
    };

    std::shared_ptr<void> subscribe(std::string topic, Listener listener) override;
    /// Listener exceptions are swallowed (and counted), as in the core.
    void publish(std::string_view topic, const Value& record) override;

    std::vector<Published> published() const;
    /// Records published on one topic, in order.
    std::vector<Value> publishedOn(std::string_view topic) const;
    std::size_t listenerErrors() const;
    /// Live subscriptions to `topic` (hasSubscribers keeps the SDK default,
    /// true, so a module under test publishes everything it can). SDK 2.4.
    std::size_t subscriberCount(std::string_view topic) const;
    void clear();

private:
    struct Slot {
        std::string topic;
        Listener listener;
    };
    mutable std::mutex mutex_;
    std::vector<std::weak_ptr<Slot>> slots_;
    std::vector<Published> published_;
    std::size_t listenerErrors_ = 0;
};

class FakeLogger : public Logger {
public:
    struct Line {
        LogLevel level;
        std::string message;
    };

    void log(LogLevel level, std::string_view message) override;

    std::vector<Line> lines() const;
    /// Whether any line contains `needle`.
    bool contains(std::string_view needle) const;
    std::size_t count(LogLevel level) const;
    /// All lines as "LEVEL message\n" text, for failure messages.
    std::string text() const;
    void clear();

private:
    mutable std::mutex mutex_;
    std::vector<Line> lines_;
};

/// Accessors return the fake types (covariant overrides), so tests reach the
/// controls directly: ctx.config().failNextWrite(), ctx.logger().contains(...).
/// Default paths point below /nonexistent/cpa-fake so a module that touches
/// files fails loudly unless the test sets real (temporary) directories.
class FakeContext : public ModuleContext {
public:
    FakeContext();
    explicit FakeContext(Value configRoot);
    ~FakeContext() override;

    InMemoryConfigStore& config() override { return config_; }
    FakeLogger& logger() override { return logger_; }
    FakeServices& services() override { return services_; }
    FakeEvents& events() override { return events_; }
    const Paths& paths() const override { return paths_; }
    const BuildInfo& build() const override { return build_; }

    Paths& mutablePaths() noexcept { return paths_; }
    BuildInfo& mutableBuild() noexcept { return build_; }

private:
    InMemoryConfigStore config_;
    FakeLogger logger_;
    FakeServices services_;
    FakeEvents events_;
    Paths paths_;
    BuildInfo build_;
};

/// Human-readable level name ("DEBUG", "INFO", "WARNING", "ERROR").
std::string_view levelName(LogLevel level) noexcept;

}  // namespace cpa::sdk::testing
