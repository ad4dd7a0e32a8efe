#pragma once
// Watches one DIRECTORY with inotify and calls back once its changes have
// been quiet for a debounce interval. Watch the directory, not a file: an
// atomic rename replaces the file's inode, so a file watch goes deaf after
// the first write. Used by the config store and the credential store.
#include <cpa/sdk/export.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace cpa::sdk {

class CPA_SDK_API DirectoryWatcher {
public:
    /// Which entry names matter; empty = every name (and events without one).
    using NameFilter = std::function<bool(std::string_view name)>;
    /// Told when the watcher stops on an error or a callback throws.
    using ErrorSink = std::function<void(const std::string& message)>;

    DirectoryWatcher(std::string dir, NameFilter filter, std::function<void()> onChange,
                     std::chrono::milliseconds debounce, ErrorSink onError = {});
    ~DirectoryWatcher();
    DirectoryWatcher(const DirectoryWatcher&) = delete;
    DirectoryWatcher& operator=(const DirectoryWatcher&) = delete;

    /// Starts the watching thread; throws std::runtime_error when inotify
    /// cannot be set up. A second call does nothing.
    void start();
    /// Joins the thread (detaches when called from the callback). Idempotent.
    void stop() noexcept;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace cpa::sdk
