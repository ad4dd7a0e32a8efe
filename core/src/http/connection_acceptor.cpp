#include "http/connection_acceptor.hpp"

#include <Poco/Net/StreamSocketImpl.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace cpa::core {

struct ConnectionAcceptor::State {
    int fd = -1;  // our duplicate of the listening socket
    int minThreads = 1;
    int maxThreads = 1;
    Serve serve;
    std::shared_ptr<sdk::Logger> log;

    mutable std::mutex mutex;
    std::condition_variable exited;
    int threads = 0;  // alive workers
    int idle = 0;     // workers in (or about to enter) accept(2)
    bool stopping = false;
    std::chrono::steady_clock::time_point lastResourceWarning{};

    ~State() {
        if (fd >= 0) ::close(fd);
    }

    // Starts a worker; the caller holds `mutex`.
    void spawnLocked(const std::shared_ptr<State>& self) {
        try {
            std::thread([self] { self->work(self); }).detach();
            ++threads;
        } catch (const std::exception& e) {
            log->error(std::string("cannot start an HTTP worker thread: ") + e.what());
        }
    }

    void work(const std::shared_ptr<State>& self) noexcept {
        pthread_setname_np(pthread_self(), "cpa-http");
        for (;;) {
            {
                std::lock_guard lock(mutex);
                if (stopping) break;
                ++idle;
            }
            sockaddr_storage peer{};
            socklen_t peerLen = sizeof peer;
            const int client = ::accept4(fd, reinterpret_cast<sockaddr*>(&peer), &peerLen, SOCK_CLOEXEC);
            const int err = errno;
            {
                std::lock_guard lock(mutex);
                --idle;
                if (client < 0) {
                    if (stopping) break;
                    // Idle for idleTimeout (accept's SO_RCVTIMEO): a worker beyond the minimum
                    // leaves, as long as another one still waits for connections.
                    if ((err == EAGAIN || err == EWOULDBLOCK) && threads > minThreads && idle > 0) break;
                    if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
                        warnResourcesLocked(err);
                    } else if (err != EINTR && err != ECONNABORTED && err != EAGAIN && err != EPROTO) {
                        log->error(std::string("accept failed: ") + std::strerror(err));
                    }
                } else if (idle == 0 && threads < maxThreads && !stopping) {
                    spawnLocked(self);
                }
            }
            if (client < 0) {
                if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM || err == EINVAL)
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // no busy loop while it lasts
                continue;
            }
            serveOne(client, peer, peerLen);
        }
        std::lock_guard lock(mutex);
        --threads;
        exited.notify_all();
    }

    void serveOne(int client, const sockaddr_storage& peer, socklen_t peerLen) noexcept {
        const int one = 1;
        ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        std::optional<Poco::Net::StreamSocket> socket;
        try {
            socket.emplace(new Poco::Net::StreamSocketImpl(client));  // owns the fd from here
        } catch (...) {
            ::close(client);  // out of memory: the connection is dropped, not leaked
            return;
        }
        try {
            serve(*socket, Poco::Net::SocketAddress(reinterpret_cast<const sockaddr*>(&peer), peerLen));
        } catch (const std::exception& e) {
            log->error(std::string("connection failed: ") + e.what());
        } catch (...) {
            log->error("connection failed");
        }
    }

    void warnResourcesLocked(int err) {
        const auto now = std::chrono::steady_clock::now();
        if (now - lastResourceWarning < std::chrono::seconds(10)) return;
        lastResourceWarning = now;
        log->warning(std::string("accept failed: ") + std::strerror(err) +
                     " (raise the open-file limit or http-server.max-threads accordingly); retrying");
    }
};

ConnectionAcceptor::ConnectionAcceptor(int listenFd, int minThreads, int maxThreads, Serve serve,
                                       std::shared_ptr<sdk::Logger> log, std::chrono::milliseconds idleTimeout)
    : state_(std::make_shared<State>()) {
    if (!serve || !log) throw std::invalid_argument("ConnectionAcceptor needs a serve function and a logger");
    State& s = *state_;
    s.fd = ::fcntl(listenFd, F_DUPFD_CLOEXEC, 0);
    if (s.fd < 0) throw std::runtime_error(std::string("cannot duplicate the listening socket: ") + std::strerror(errno));
    // accept(2) honours the receive timeout: how long a spare worker waits before it leaves.
    const auto ms = std::max<long long>(idleTimeout.count(), 1);
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(ms / 1000);
    tv.tv_usec = static_cast<suseconds_t>((ms % 1000) * 1000);
    if (::setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0)
        throw std::runtime_error(std::string("cannot set the accept timeout: ") + std::strerror(errno));
    s.maxThreads = std::max(1, maxThreads);
    s.minThreads = std::clamp(minThreads, 1, s.maxThreads);
    s.serve = std::move(serve);
    s.log = std::move(log);
}

ConnectionAcceptor::~ConnectionAcceptor() { stop(); }

void ConnectionAcceptor::start() {
    std::lock_guard lock(state_->mutex);
    while (state_->threads < state_->minThreads && !state_->stopping) {
        const int before = state_->threads;
        state_->spawnLocked(state_);
        if (state_->threads == before) throw std::runtime_error("cannot start the HTTP worker threads");
    }
}

void ConnectionAcceptor::stop() noexcept {
    State& s = *state_;
    {
        std::lock_guard lock(s.mutex);
        if (s.stopping) return;
        s.stopping = true;
    }
    // Stops listening and wakes every worker blocked in accept(2) (EINVAL);
    // the descriptor itself stays open until the last worker is gone, so no
    // worker can ever accept on a reused descriptor number.
    ::shutdown(s.fd, SHUT_RDWR);
}

bool ConnectionAcceptor::join(std::chrono::milliseconds timeout) noexcept {
    std::unique_lock lock(state_->mutex);
    return state_->exited.wait_for(lock, timeout, [this] { return state_->threads == 0; });
}

int ConnectionAcceptor::threads() const {
    std::lock_guard lock(state_->mutex);
    return state_->threads;
}

}  // namespace cpa::core
