#pragma once
// A logger that holds its lines until release(), then forwards them and every
// later line to its target. The config store logs while the config is being
// read, before `log-format` is known; holding those lines lets them come out
// in the configured format.
#include <cpa/sdk/module.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace cpa::core {

class HeldLogger final : public sdk::Logger {
public:
    explicit HeldLogger(std::shared_ptr<sdk::Logger> target) : target_(std::move(target)) {}
    ~HeldLogger() override { release(); }

    void log(sdk::LogLevel level, std::string_view message) override {
        {
            std::lock_guard lock(mutex_);
            if (holding_) {
                held_.emplace_back(level, std::string(message));
                return;
            }
        }
        target_->log(level, message);
    }

    /// Forwards the held lines in order; from now on lines pass straight through.
    void release() noexcept {
        std::vector<std::pair<sdk::LogLevel, std::string>> held;
        {
            std::lock_guard lock(mutex_);
            holding_ = false;
            held.swap(held_);
        }
        for (const auto& [level, message] : held) {
            try {
                target_->log(level, message);
            } catch (...) {
                // A failing logger must not stop start-up.
            }
        }
    }

private:
    std::shared_ptr<sdk::Logger> target_;
    std::mutex mutex_;
    bool holding_ = true;
    std::vector<std::pair<sdk::LogLevel, std::string>> held_;
};

}  // namespace cpa::core
