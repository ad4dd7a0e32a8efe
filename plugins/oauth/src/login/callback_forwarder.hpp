#pragma once
// Local callback listeners for web-UI logins (oauth.md §3.2): the providers'
// registered redirect URIs point at fixed localhost ports; a listener there
// answers every request with 302 to the main port's callback route.
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace cpa::oauth::login {

class CallbackForwarder {
public:
    /// Binds 127.0.0.1:`port` at once; throws std::runtime_error when it cannot.
    CallbackForwarder(int port, std::string targetBase);
    ~CallbackForwarder();
    CallbackForwarder(const CallbackForwarder&) = delete;
    CallbackForwarder& operator=(const CallbackForwarder&) = delete;

    int port() const noexcept { return port_; }
    void stop() noexcept;

private:
    struct Impl;
    int port_;
    std::unique_ptr<Impl> impl_;
};

/// One forwarder per port: starting a new one on a port stops the previous.
class ForwarderSet {
public:
    std::shared_ptr<CallbackForwarder> start(int port, const std::string& targetBase);
    /// Stops `f` and forgets it if it is still the one on its port.
    void release(const std::shared_ptr<CallbackForwarder>& f) noexcept;
    void stopAll() noexcept;

private:
    std::mutex mutex_;
    std::map<int, std::shared_ptr<CallbackForwarder>> byPort_;
};

}  // namespace cpa::oauth::login
