#include "http/listen_socket.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/SocketAddress.h>

#include <cerrno>
#include <stdexcept>

namespace cpa::core {

namespace {

std::string stripBrackets(const std::string& host) {
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
    return host;
}

std::string reasonFor(const Poco::Exception& e) {
    switch (e.code()) {
        case EADDRINUSE:
            return "address already in use";
        case EACCES:
            return "permission denied";
        case EADDRNOTAVAIL:
            return "address not available on this host";
        default:
            break;
    }
    const std::string text = e.message().empty() ? e.displayText() : e.message();
    if (text.find("already in use") != std::string::npos) return "address already in use";
    return text.empty() ? std::string("unknown error") : text;
}

bool retryAsIPv4(const Poco::Exception& e) { return e.code() != EADDRINUSE && e.code() != EACCES; }

// "<host>:<port>", an IPv6 host in brackets; "" stays empty (":8317").
std::string addressText(const std::string& host, int port) {
    const std::string h = stripBrackets(host);
    const bool v6 = h.find(':') != std::string::npos;
    return (v6 ? "[" + h + "]" : h) + ":" + std::to_string(port);
}

}  // namespace

Poco::Net::ServerSocket openListenSocket(const std::string& host, int port, int backlog) {
    const std::string where = addressText(host, port);
    if (port < 0 || port > 65535) throw std::runtime_error("cannot listen on " + where + ": invalid port");
    const auto p = static_cast<Poco::UInt16>(port);
    const std::string h = stripBrackets(host);
    try {
        Poco::Net::ServerSocket socket;
        if (h.empty()) {
            try {
                socket.bind6(Poco::Net::SocketAddress(Poco::Net::IPAddress(Poco::Net::IPAddress::IPv6), p), true,
                             false, false);
            } catch (const Poco::Exception& e) {
                if (!retryAsIPv4(e)) throw;
                socket = Poco::Net::ServerSocket();
                socket.bind(Poco::Net::SocketAddress(Poco::Net::IPAddress(Poco::Net::IPAddress::IPv4), p), true,
                            false);
            }
        } else {
            const Poco::Net::SocketAddress address(h, p);  // literal or resolved name
            if (address.family() == Poco::Net::SocketAddress::IPv6) {
                socket.bind6(address, true, false, false);
            } else {
                socket.bind(address, true, false);
            }
        }
        socket.listen(backlog);
        return socket;
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("cannot listen on " + where + ": " + reasonFor(e));
    } catch (const std::exception& e) {
        throw std::runtime_error("cannot listen on " + where + ": " + e.what());
    }
}

}  // namespace cpa::core
