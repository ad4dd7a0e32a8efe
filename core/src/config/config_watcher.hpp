#pragma once
// Watches the config file's DIRECTORY with inotify (an atomic rename replaces
// the file's inode, so watching the file itself would go deaf after the first
// write) and calls `onChange` once events for the file have been quiet for
// the debounce interval.
#include <cpa/sdk/module.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace cpa::core {

class ConfigWatcher {
public:
    ConfigWatcher(std::string filePath, std::function<void()> onChange, sdk::Logger& logger,
                  std::chrono::milliseconds debounce = std::chrono::milliseconds(150));
    ~ConfigWatcher();
    ConfigWatcher(const ConfigWatcher&) = delete;
    ConfigWatcher& operator=(const ConfigWatcher&) = delete;

    /// Throws std::runtime_error when inotify cannot be set up.
    void start();
    /// Joins the thread (or detaches when called from it). Idempotent.
    void stop() noexcept;

private:
    void run() noexcept;

    std::string dir_;
    std::string name_;
    std::function<void()> onChange_;
    sdk::Logger& logger_;
    std::chrono::milliseconds debounce_;
    int inotifyFd_ = -1;
    int stopFd_ = -1;
    std::thread thread_;
};

}  // namespace cpa::core
