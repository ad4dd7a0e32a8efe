#include "config/config_watcher.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace cpa::core {

ConfigWatcher::ConfigWatcher(std::string filePath, std::function<void()> onChange, sdk::Logger& logger,
                             std::chrono::milliseconds debounce)
    : onChange_(std::move(onChange)), logger_(logger), debounce_(debounce) {
    const auto slash = filePath.rfind('/');
    dir_ = slash == std::string::npos ? "." : (slash == 0 ? "/" : filePath.substr(0, slash));
    name_ = slash == std::string::npos ? filePath : filePath.substr(slash + 1);
}

ConfigWatcher::~ConfigWatcher() { stop(); }

void ConfigWatcher::start() {
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

void ConfigWatcher::stop() noexcept {
    if (thread_.joinable()) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const ssize_t n = ::write(stopFd_, &one, sizeof one);
        if (thread_.get_id() == std::this_thread::get_id()) {
            // Stopping from our own callback: the loop sees stopFd_ and exits;
            // its two descriptors are left open (rare, harmless).
            thread_.detach();
            return;
        }
        thread_.join();
    }
    if (inotifyFd_ >= 0) ::close(inotifyFd_);
    if (stopFd_ >= 0) ::close(stopFd_);
    inotifyFd_ = stopFd_ = -1;
}

void ConfigWatcher::run() noexcept {
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
        if (rc < 0 && errno != EINTR) {
            logger_.error(std::string("config watcher stopped: poll: ") + std::strerror(errno));
            return;
        }
        if (rc > 0 && (fds[1].revents & POLLIN)) return;
        if (rc > 0 && (fds[0].revents & POLLIN)) {
            bool ours = false;
            for (;;) {
                const ssize_t n = ::read(inotifyFd_, buf, sizeof buf);
                if (n <= 0) break;
                for (ssize_t off = 0; off < n;) {
                    const auto* ev = reinterpret_cast<const inotify_event*>(buf + off);
                    // A queue overflow lost events: re-check the file anyway.
                    if ((ev->mask & IN_Q_OVERFLOW) || (ev->len > 0 && name_ == ev->name)) ours = true;
                    off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
                }
            }
            if (ours) {
                pending = true;
                due = Clock::now() + debounce_;  // restart the quiet period
            }
        }
        if (pending && Clock::now() >= due) {
            pending = false;
            try {
                onChange_();
            } catch (const std::exception& e) {
                logger_.error(std::string("config reload failed: ") + e.what());
            } catch (...) {
                logger_.error("config reload failed");
            }
        }
    }
}

}  // namespace cpa::core
