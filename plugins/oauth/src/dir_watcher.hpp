#pragma once
// inotify on one directory: calls onChange once the directory has been quiet
// for `debounce` after any create/write/rename/delete inside it.
#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace cpa::oauth {

class DirWatcher {
public:
    DirWatcher(std::string dir, std::function<void()> onChange, std::chrono::milliseconds debounce);
    ~DirWatcher();
    /// Throws std::runtime_error when inotify cannot be set up.
    void start();
    void stop() noexcept;

    DirWatcher(const DirWatcher&) = delete;
    DirWatcher& operator=(const DirWatcher&) = delete;

private:
    void run() noexcept;

    std::string dir_;
    std::function<void()> onChange_;
    std::chrono::milliseconds debounce_;
    int inotifyFd_{-1};
    int stopFd_{-1};
    std::thread thread_;
};

}  // namespace cpa::oauth
