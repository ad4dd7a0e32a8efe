#pragma once
// Keeps <config dir>/static/management.html current in the background, on the
// original's schedule: once at start-up, then every 3 hours. Never blocks
// start-up or a request; each round re-reads the config, so the switches
// below take effect on the next round after a reload.
#include <cpa/sdk/config.hpp>
#include <cpa/sdk/module.hpp>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace cpa::core::panel {

/// The original's interval between rounds.
inline constexpr std::chrono::hours kUpdateInterval{3};

/// Why a round does not fetch, or "" when it does: disable-control-panel,
/// disable-auto-update-panel, CPA_PANEL_AUTO_UPDATE=0 (`autoUpdateEnv`), or the
/// management API being off (without it the panel can do nothing).
std::string skipReason(const sdk::ConfigSnapshot& snap, bool managementPasswordSet, const char* autoUpdateEnv);

class PanelUpdater {
public:
    PanelUpdater(std::shared_ptr<sdk::ConfigStore> store, std::filesystem::path configDir,
                 std::shared_ptr<sdk::Logger> logger, bool managementPasswordSet,
                 std::chrono::milliseconds interval = kUpdateInterval);
    ~PanelUpdater();  ///< stop()

    void start();
    /// Returns once the thread has ended (an in-flight fetch finishes first:
    /// at most its timeout).
    void stop() noexcept;

    PanelUpdater(const PanelUpdater&) = delete;
    PanelUpdater& operator=(const PanelUpdater&) = delete;

private:
    void run();
    void round();

    std::shared_ptr<sdk::ConfigStore> store_;
    std::filesystem::path configDir_;
    std::shared_ptr<sdk::Logger> logger_;
    bool managementPasswordSet_;
    std::chrono::milliseconds interval_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace cpa::core::panel
