#pragma once
// logs-max-total-size-mb (logs.md §2.5): delete the oldest *.log / *.log.gz
// files of the log directory until the total fits; main.log is spared while
// file logging is on.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cpa::logs {

/// One run; returns the names deleted. Failures go to `onError` and are skipped.
std::vector<std::string> cleanLogDirectory(const std::filesystem::path& dir, std::uint64_t limitBytes,
                                           bool protectMainLog,
                                           const std::function<void(const std::string&)>& onError = {});

/// Runs cleanLogDirectory now and then every `interval` until destroyed.
class PeriodicCleaner {
public:
    PeriodicCleaner(std::filesystem::path dir, std::uint64_t limitBytes, bool protectMainLog,
                    std::chrono::milliseconds interval, std::function<void(const std::string&)> onError);
    ~PeriodicCleaner();
    PeriodicCleaner(const PeriodicCleaner&) = delete;
    PeriodicCleaner& operator=(const PeriodicCleaner&) = delete;

private:
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace cpa::logs
