#include "dir_watcher.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace cpa::oauth {

DirWatcher::DirWatcher(std::string dir, std::function<void()> onChange, std::chrono::milliseconds debounce)
    : dir_(std::move(dir)), onChange_(std::move(onChange)), debounce_(debounce) {}

DirWatcher::~DirWatcher() { stop(); }

void DirWatcher::start() {
    if (thread_.joinable()) return;
    inotifyFd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotifyFd_ < 0) throw std::runtime_error(std::string("inotify_init1: ") + std::strerror(errno));
    constexpr std::uint32_t mask =
        IN_CLOSE_WRITE | IN_MODIFY | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB;
    if (::inotify_add_watch(inotifyFd_, dir_.c_str(), mask) < 0) {
        const int err = errno;
        ::close(inotifyFd_);
        inotifyFd_ = -1;
        throw std::runtime_error("inotify_add_watch " + dir_ + ": " + std::strerror(err));
    }
    stopFd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (stopFd_ < 0) {
        const int err = errno;
        ::close(inotifyFd_);
        inotifyFd_ = -1;
        throw std::runtime_error(std::string("eventfd: ") + std::strerror(err));
    }
    thread_ = std::thread([this] { run(); });
}

void DirWatcher::stop() noexcept {
    if (thread_.joinable()) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const ssize_t n = ::write(stopFd_, &one, sizeof one);
        thread_.join();
    }
    if (inotifyFd_ >= 0) ::close(inotifyFd_);
    if (stopFd_ >= 0) ::close(stopFd_);
    inotifyFd_ = stopFd_ = -1;
}

void DirWatcher::run() noexcept {
    using Clock = std::chrono::steady_clock;
    bool pending = false;
    Clock::time_point due{};
    alignas(inotify_event) char buf[8192];
    for (;;) {
        int timeout = -1;
        if (pending) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now()).count();
            timeout = left > 0 ? static_cast<int>(left) : 0;
        }
        pollfd fds[2] = {{inotifyFd_, POLLIN, 0}, {stopFd_, POLLIN, 0}};
        const int rc = ::poll(fds, 2, timeout);
        if (rc < 0 && errno != EINTR) return;
        if (rc > 0 && (fds[1].revents & POLLIN)) return;
        if (rc > 0 && (fds[0].revents & POLLIN)) {
            bool any = false;
            for (;;) {
                const ssize_t n = ::read(inotifyFd_, buf, sizeof buf);
                if (n <= 0) break;
                any = true;
            }
            if (any) {
                pending = true;
                due = Clock::now() + debounce_;  // restart the quiet period
            }
        }
        if (pending && Clock::now() >= due) {
            pending = false;
            try {
                onChange_();
            } catch (...) {
                // The callback logs its own failures; the watcher keeps running.
            }
        }
    }
}

}  // namespace cpa::oauth
