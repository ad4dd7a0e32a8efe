#include "upstream/dial.hpp"

#include <cpa/sdk/outbound_proxy.hpp>

#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <mutex>

namespace cpa::proxy::upstream {
namespace {

Poco::Net::Context::Ptr clientContext() {
    static std::once_flag once;
    static Poco::Net::Context::Ptr context;
    std::call_once(once, [] {
        Poco::Net::initializeSSL();
        Poco::Net::Context::Params params;
        // STRICT: Poco skips the host-name check for "localhost" in RELAXED mode.
        params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
        params.loadDefaultCAs = true;  // the system CA store
        params.cipherList = "HIGH:!aNULL:!MD5:!RC4";
        context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    });
    return context;
}

sdk::ProxyEndpoint endpointOf(const Url& proxy) {
    return {proxy.scheme, proxy.host, static_cast<std::uint16_t>(proxy.port), proxy.user, proxy.password,
            !proxy.user.empty()};
}

}  // namespace

bool forwardsToProxy(const Url& target, const std::optional<Url>& proxy) {
    return proxy && (proxy->scheme == "http" || proxy->scheme == "https") && target.scheme == "http";
}

std::string proxyBasicAuth(const Url& proxy) { return sdk::proxyBasicAuth(endpointOf(proxy)); }

Poco::Timespan remaining(Clock::time_point deadline) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now()).count();
    return Poco::Timespan(std::max<long long>(us, 1000));
}

Poco::Net::StreamSocket dial(const Url& target, const std::optional<Url>& proxy, Clock::time_point deadline) {
    try {
        if (proxy && proxy->scheme == "https" && target.scheme == "https")
            throw DialError("TLS inside a TLS proxy tunnel is not supported; use an http:// or socks5:// proxy");
        const Url& first = proxy ? *proxy : target;
        Poco::Net::StreamSocket s;
        s.connect(Poco::Net::SocketAddress(first.host, static_cast<Poco::UInt16>(first.port)), remaining(deadline));
        s.setNoDelay(true);
        s.setReceiveTimeout(remaining(deadline));
        s.setSendTimeout(remaining(deadline));
        if (proxy && proxy->scheme == "https") s = Poco::Net::SecureStreamSocket::attach(s, proxy->host, clientContext());
        if (proxy && (proxy->scheme == "http" || proxy->scheme == "https") && !forwardsToProxy(target, proxy))
            sdk::httpConnect(s, endpointOf(*proxy), target.host, static_cast<std::uint16_t>(target.port));
        if (proxy && (proxy->scheme == "socks5" || proxy->scheme == "socks5h"))
            sdk::socks5Connect(s, endpointOf(*proxy), target.host, static_cast<std::uint16_t>(target.port));
        if (target.scheme == "https") s = Poco::Net::SecureStreamSocket::attach(s, target.host, clientContext());
        return s;
    } catch (const DialError&) {
        throw;
    } catch (const Poco::Exception& e) {
        throw DialError(e.displayText());
    } catch (const std::exception& e) {
        throw DialError(e.what());
    }
}

}  // namespace cpa::proxy::upstream
