#include "http/connection_parking.hpp"

#include "http/http_connection.hpp"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace cpa::core {

struct ConnectionParking::State {
    using Clock = std::chrono::steady_clock;

    int epoll = -1;
    int wake = -1;  // eventfd: an earlier deadline, or stop
    int maxWorkers = 1;
    std::chrono::milliseconds idleTimeout{};
    std::shared_ptr<sdk::Logger> log;

    mutable std::mutex mutex;
    std::condition_variable readyCv;
    std::condition_variable exited;
    struct Parked {
        std::unique_ptr<HttpConnection> connection;
        std::multimap<Clock::time_point, HttpConnection*>::iterator due;
    };
    std::unordered_map<HttpConnection*, Parked> parked;
    std::multimap<Clock::time_point, HttpConnection*> deadlines;
    Clock::time_point nextWake = Clock::time_point::max();  // what the reactor's epoll_wait waits for
    std::deque<std::unique_ptr<HttpConnection>> ready;      // readable, waiting for a resume worker
    int threads = 0;   // the reactor and the resume workers
    int workers = 0;   // resume workers
    int idle = 0;      // resume workers waiting for a connection
    int starting = 0;  // resume workers started but not yet looking at `ready`
    bool stopping = false;

    ~State() {
        if (epoll >= 0) ::close(epoll);
        if (wake >= 0) ::close(wake);
    }

    void signal() noexcept {
        const std::uint64_t one = 1;
        [[maybe_unused]] const ssize_t n = ::write(wake, &one, sizeof one);  // a full counter still wakes
    }

    // Removes a parked connection from the books; the caller holds `mutex`.
    std::unique_ptr<HttpConnection> unparkLocked(std::unordered_map<HttpConnection*, Parked>::iterator it) {
        deadlines.erase(it->second.due);
        std::unique_ptr<HttpConnection> c = std::move(it->second.connection);
        parked.erase(it);
        return c;
    }

    void park(std::unique_ptr<HttpConnection> c) noexcept {
        std::unique_ptr<HttpConnection> refused;
        {
            std::lock_guard lock(mutex);
            if (stopping) {
                refused = std::move(c);
            } else {
                HttpConnection* key = c.get();
                const auto deadline = c->deadline();
                try {
                    const auto due = deadlines.emplace(deadline, key);
                    try {
                        Parked& p = parked.try_emplace(key).first->second;  // c moves only once this holds
                        p.due = due;
                        p.connection = std::move(c);
                    } catch (...) {
                        deadlines.erase(due);
                        throw;
                    }
                } catch (...) {
                    refused = std::move(c);  // out of memory: closed rather than leaked
                }
                if (!refused) {
                    epoll_event ev{};
                    ev.events = EPOLLIN | EPOLLONESHOT;  // one wake-up hands it over; re-armed when parked again
                    ev.data.ptr = key;
                    const int fd = key->fd();
                    if (::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev) != 0 &&
                        (errno != EEXIST || ::epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &ev) != 0)) {
                        refused = unparkLocked(parked.find(key));
                    } else if (deadline < nextWake) {
                        nextWake = deadline;
                        signal();
                    }
                }
            }
        }
        // Closed outside the lock.
    }

    // Hands readable connections to resume workers; the caller holds `mutex`.
    void dispatchLocked(const std::shared_ptr<State>& self, std::size_t added) {
        for (std::size_t i = 0; i < added; ++i) readyCv.notify_one();
        while (ready.size() > static_cast<std::size_t>(idle + starting) && workers < maxWorkers) {
            try {
                std::thread([self] { self->work(self); }).detach();
            } catch (const std::exception& e) {
                log->error(std::string("cannot start an HTTP resume thread: ") + e.what());
                break;  // the busy workers take the queue when they are done
            }
            ++threads;
            ++workers;
            ++starting;
        }
    }

    void react(const std::shared_ptr<State>& self) noexcept {
        pthread_setname_np(pthread_self(), "cpa-http-park");
        std::vector<epoll_event> events(256);
        std::vector<std::unique_ptr<HttpConnection>> expired;
        for (;;) {
            int timeoutMs = -1;
            {
                std::lock_guard lock(mutex);
                if (stopping) break;
                const auto now = Clock::now();
                while (!deadlines.empty() && deadlines.begin()->first <= now)
                    expired.push_back(unparkLocked(parked.find(deadlines.begin()->second)));
                nextWake = deadlines.empty() ? Clock::time_point::max() : deadlines.begin()->first;
                if (!deadlines.empty()) {
                    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(nextWake - now).count();
                    timeoutMs = static_cast<int>(std::clamp<long long>(ms, 1, 60'000));
                }
            }
            expired.clear();  // closed unanswered, outside the lock
            const int n = ::epoll_wait(epoll, events.data(), static_cast<int>(events.size()), timeoutMs);
            if (n < 0) {
                if (errno == EINTR) continue;
                log->error(std::string("epoll_wait failed: ") + std::strerror(errno));
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                continue;
            }
            std::lock_guard lock(mutex);
            std::size_t added = 0;
            for (int i = 0; i < n; ++i) {
                if (events[static_cast<std::size_t>(i)].data.ptr == nullptr) {
                    std::uint64_t count = 0;
                    [[maybe_unused]] const ssize_t r = ::read(wake, &count, sizeof count);
                    continue;
                }
                const auto it = parked.find(static_cast<HttpConnection*>(events[static_cast<std::size_t>(i)].data.ptr));
                if (it == parked.end()) continue;  // closed by stop() meanwhile
                try {
                    ready.push_back(unparkLocked(it));
                    ++added;
                } catch (...) {
                    // Out of memory: the connection (already unparked) is closed.
                }
            }
            if (added > 0) dispatchLocked(self, added);
        }
        std::lock_guard lock(mutex);
        --threads;
        exited.notify_all();
    }

    void work(const std::shared_ptr<State>& self) noexcept {
        pthread_setname_np(pthread_self(), "cpa-http");
        std::unique_lock lock(mutex);
        --starting;
        for (;;) {
            if (ready.empty()) {
                if (stopping) break;
                ++idle;
                const bool woke = readyCv.wait_for(lock, idleTimeout, [this] { return !ready.empty() || stopping; });
                --idle;
                if (!woke) break;  // a spare worker: the next burst starts new ones
                continue;
            }
            std::unique_ptr<HttpConnection> c = std::move(ready.front());
            ready.pop_front();
            lock.unlock();
            if (c->serve(true) == HttpConnection::Next::Park) park(std::move(c));
            c.reset();  // closed here if it ended
            lock.lock();
        }
        --workers;
        --threads;
        exited.notify_all();
    }
};

ConnectionParking::ConnectionParking(int maxThreads, std::shared_ptr<sdk::Logger> log,
                                     std::chrono::milliseconds idleTimeout)
    : state_(std::make_shared<State>()) {
    if (!log) throw std::invalid_argument("ConnectionParking needs a logger");
    State& s = *state_;
    s.maxWorkers = std::max(1, maxThreads);
    s.idleTimeout = std::max(idleTimeout, std::chrono::milliseconds(1));
    s.log = std::move(log);
    s.epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (s.epoll < 0) throw std::runtime_error(std::string("cannot create an epoll set: ") + std::strerror(errno));
    s.wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (s.wake < 0) throw std::runtime_error(std::string("cannot create an eventfd: ") + std::strerror(errno));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = nullptr;  // the wake-up descriptor; connections carry their address
    if (::epoll_ctl(s.epoll, EPOLL_CTL_ADD, s.wake, &ev) != 0)
        throw std::runtime_error(std::string("cannot watch the eventfd: ") + std::strerror(errno));
}

ConnectionParking::~ConnectionParking() { stop(); }

void ConnectionParking::start() {
    std::lock_guard lock(state_->mutex);
    if (state_->stopping) return;
    std::shared_ptr<State> self = state_;
    std::thread([self] { self->react(self); }).detach();
    ++state_->threads;
}

void ConnectionParking::park(std::unique_ptr<HttpConnection> connection) noexcept {
    state_->park(std::move(connection));
}

void ConnectionParking::stop() noexcept {
    State& s = *state_;
    std::unordered_map<HttpConnection*, State::Parked> parked;
    std::deque<std::unique_ptr<HttpConnection>> ready;
    {
        std::lock_guard lock(s.mutex);
        if (s.stopping) return;
        s.stopping = true;
        s.deadlines.clear();
        parked.swap(s.parked);
        ready.swap(s.ready);
        s.readyCv.notify_all();
        s.signal();
    }
    // `parked` and `ready` close their connections here, outside the lock.
}

bool ConnectionParking::join(std::chrono::milliseconds timeout) noexcept {
    std::unique_lock lock(state_->mutex);
    return state_->exited.wait_for(lock, timeout, [this] { return state_->threads == 0; });
}

std::size_t ConnectionParking::parked() const {
    std::lock_guard lock(state_->mutex);
    return state_->parked.size();
}

int ConnectionParking::threads() const {
    std::lock_guard lock(state_->mutex);
    return state_->threads;
}

}  // namespace cpa::core
