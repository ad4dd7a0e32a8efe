#include <cpa/sdk/directory_watcher.hpp>

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace cpa::sdk {

struct DirectoryWatcher::Impl {
    std::string dir;
    NameFilter filter;
    std::function<void()> onChange;
    std::chrono::milliseconds debounce;
    ErrorSink onError;
    int inotifyFd = -1;
    int stopFd = -1;
    std::thread thread;

    void report(const std::string& message) noexcept {
        if (!onError) return;
        try {
            onError(message);
        } catch (...) {
        }
    }

    /// Drains the inotify queue; true when a matching entry changed.
    bool drain() {
        alignas(inotify_event) char buf[8192];
        bool relevant = false;
        for (;;) {
            const ssize_t n = ::read(inotifyFd, buf, sizeof buf);
            if (n <= 0) break;
            for (ssize_t off = 0; off < n;) {
                const auto* ev = reinterpret_cast<const inotify_event*>(buf + off);
                // A queue overflow lost events: treat it as a change.
                if ((ev->mask & IN_Q_OVERFLOW) || !filter || (ev->len > 0 && filter(ev->name))) relevant = true;
                off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
            }
        }
        return relevant;
    }

    void run() noexcept {
        using Clock = std::chrono::steady_clock;
        bool pending = false;
        Clock::time_point due{};
        for (;;) {
            int timeout = -1;
            if (pending) {
                const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now()).count();
                timeout = left > 0 ? static_cast<int>(left) : 0;
            }
            pollfd fds[2] = {{inotifyFd, POLLIN, 0}, {stopFd, POLLIN, 0}};
            const int rc = ::poll(fds, 2, timeout);
            if (rc < 0 && errno != EINTR) {
                report("watcher of " + dir + " stopped: poll: " + std::strerror(errno));
                return;
            }
            if (rc > 0 && (fds[1].revents & POLLIN)) return;
            if (rc > 0 && (fds[0].revents & POLLIN) && drain()) {
                pending = true;
                due = Clock::now() + debounce;  // restart the quiet period
            }
            if (pending && Clock::now() >= due) {
                pending = false;
                try {
                    onChange();
                } catch (const std::exception& e) {
                    report(std::string("change handler failed: ") + e.what());
                } catch (...) {
                    report("change handler failed");
                }
            }
        }
    }

    void closeFds() noexcept {
        if (inotifyFd >= 0) ::close(inotifyFd);
        if (stopFd >= 0) ::close(stopFd);
        inotifyFd = stopFd = -1;
    }

    ~Impl() { closeFds(); }
};

DirectoryWatcher::DirectoryWatcher(std::string dir, NameFilter filter, std::function<void()> onChange,
                                   std::chrono::milliseconds debounce, ErrorSink onError)
    : impl_(std::make_shared<Impl>()) {
    impl_->dir = std::move(dir);
    impl_->filter = std::move(filter);
    impl_->onChange = std::move(onChange);
    impl_->debounce = debounce;
    impl_->onError = std::move(onError);
}

DirectoryWatcher::~DirectoryWatcher() { stop(); }

void DirectoryWatcher::start() {
    Impl& w = *impl_;
    if (w.thread.joinable()) return;
    w.inotifyFd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w.inotifyFd < 0) throw std::runtime_error(std::string("inotify_init1: ") + std::strerror(errno));
    constexpr std::uint32_t mask =
        IN_CLOSE_WRITE | IN_MODIFY | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB;
    if (::inotify_add_watch(w.inotifyFd, w.dir.c_str(), mask) < 0) {
        const int err = errno;
        w.closeFds();
        throw std::runtime_error("inotify_add_watch " + w.dir + ": " + std::strerror(err));
    }
    w.stopFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (w.stopFd < 0) {
        const int err = errno;
        w.closeFds();
        throw std::runtime_error(std::string("eventfd: ") + std::strerror(err));
    }
    // The thread co-owns the state: stop() from inside the callback detaches,
    // and the state must outlive this object until the loop has returned.
    w.thread = std::thread([self = impl_] { self->run(); });
}

void DirectoryWatcher::stop() noexcept {
    if (!impl_) return;
    Impl& w = *impl_;
    if (w.thread.joinable()) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const ssize_t n = ::write(w.stopFd, &one, sizeof one);
        if (w.thread.get_id() == std::this_thread::get_id()) {
            // Stopped from our own callback: the loop sees stopFd and exits;
            // the last owner closes the descriptors.
            w.thread.detach();
            return;
        }
        w.thread.join();
    }
    w.closeFds();
}

}  // namespace cpa::sdk
