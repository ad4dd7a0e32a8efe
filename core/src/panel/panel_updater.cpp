#include "panel/panel_updater.hpp"

#include "panel/panel_fetch.hpp"

#include <cstdlib>
#include <string_view>

namespace cpa::core::panel {

std::string skipReason(const sdk::ConfigSnapshot& snap, bool managementPasswordSet, const char* autoUpdateEnv) {
    if (snap.getBool("remote-management.disable-control-panel", false)) return "disable-control-panel is true";
    if (snap.getBool("remote-management.disable-auto-update-panel", false)) return "disable-auto-update-panel is true";
    if (autoUpdateEnv != nullptr && std::string_view(autoUpdateEnv) == "0") return "CPA_PANEL_AUTO_UPDATE=0";
    const std::string secret = snap.getString("remote-management.secret-key", "");
    if (secret.find_first_not_of(" \t\r\n") == std::string::npos && !managementPasswordSet) {
        return "the management API is off";
    }
    return {};
}

PanelUpdater::PanelUpdater(std::shared_ptr<sdk::ConfigStore> store, std::filesystem::path configDir,
                           std::shared_ptr<sdk::Logger> logger, bool managementPasswordSet,
                           std::chrono::milliseconds interval)
    : store_(std::move(store)),
      configDir_(std::move(configDir)),
      logger_(std::move(logger)),
      managementPasswordSet_(managementPasswordSet),
      interval_(interval) {}

PanelUpdater::~PanelUpdater() { stop(); }

void PanelUpdater::start() {
    if (thread_.joinable()) return;
    thread_ = std::thread([this] { run(); });
}

void PanelUpdater::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void PanelUpdater::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        round();
        lock.lock();
        wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
}

void PanelUpdater::round() {
    try {
        const sdk::SnapshotPtr snap = store_->snapshot();
        if (const std::string why = skipReason(*snap, managementPasswordSet_, std::getenv("CPA_PANEL_AUTO_UPDATE"));
            !why.empty()) {
            logger_->debug("web panel update skipped: " + why);
            return;
        }
        const FetchResult r = fetchPanel(fetchOptionsFrom(*snap, configDir_));
        switch (r.outcome) {
            case FetchResult::Outcome::Updated: logger_->info("web panel updated: " + r.message); break;
            case FetchResult::Outcome::Unchanged: logger_->debug("web panel: " + r.message); break;
            case FetchResult::Outcome::Failed: logger_->warning("web panel update failed: " + r.message); break;
        }
    } catch (const std::exception& e) {
        logger_->warning(std::string("web panel update failed: ") + e.what());
    }
}

}  // namespace cpa::core::panel
