#pragma once
#include <cpa/sdk/module.hpp>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace cpa::core::test {

/// Keeps every line it is given, for assertions.
class CaptureLogger : public sdk::Logger {
public:
    void log(sdk::LogLevel level, std::string_view message) override {
        std::lock_guard lock(mutex_);
        lines_.emplace_back(level, std::string(message));
    }
    std::vector<std::pair<sdk::LogLevel, std::string>> lines() const {
        std::lock_guard lock(mutex_);
        return lines_;
    }
    /// The first line containing `needle`, waiting up to `timeout` for it
    /// (access lines are written after the response went out).
    std::pair<sdk::LogLevel, std::string> waitFor(const std::string& needle,
                                                  std::chrono::milliseconds timeout = std::chrono::seconds(3)) const {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (true) {
            for (const auto& l : lines())
                if (l.second.find(needle) != std::string::npos) return l;
            if (std::chrono::steady_clock::now() > deadline) return {sdk::LogLevel::Debug, ""};
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::pair<sdk::LogLevel, std::string>> lines_;
};

}  // namespace cpa::core::test
