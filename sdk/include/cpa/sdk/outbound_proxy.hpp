#pragma once
// Outbound proxies, one implementation for every module that calls out
// (config-schema.md §2.4 `proxy-url`): the proxy URL, the SOCKS5 CONNECT
// handshake (RFC 1928, user/password per RFC 1929) and the HTTP CONNECT
// tunnel. The handshakes are templates over a connected socket with Poco's
// sendBytes/receiveBytes, so the socket library's own errors and timeouts
// reach the caller unchanged; protocol refusals throw ProxyError.
#include <cpa/sdk/export.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <sys/socket.h>

namespace cpa::sdk {

struct ProxyEndpoint {
    std::string scheme;  ///< lower-case: http, https, socks5, socks5h
    std::string host;    ///< without brackets for IPv6
    std::uint16_t port = 0;
    std::string user;  ///< percent-decoded user-info
    std::string password;
    bool hasCredentials = false;  ///< the URL had user-info
};

/// A proxy refused or broke the handshake.
struct CPA_SDK_API ProxyError : std::runtime_error {
    using std::runtime_error::runtime_error;
    ~ProxyError() override;
};

/// A socks5/socks5h/http/https URL with a host (trimmed; scheme required,
/// default ports 1080/80/443, user-info percent-decoded); nullopt otherwise.
CPA_SDK_API std::optional<ProxyEndpoint> parseProxyUrl(std::string_view url);
/// True for socks5:// and socks5h:// (the proxy resolves the target name either way).
CPA_SDK_API bool isSocks5(const ProxyEndpoint& proxy) noexcept;
/// "Basic <base64(user:password)>" when the proxy has credentials, else "".
CPA_SDK_API std::string proxyBasicAuth(const ProxyEndpoint& proxy);
/// Whether NO_PROXY (comma-separated host names or domain suffixes, a leading
/// dot ignored, a ":port" not compared, "*" = every host) excludes `host`;
/// ASCII case-insensitive, as Go's ProxyFromEnvironment.
CPA_SDK_API bool noProxyExcludes(std::string_view noProxy, std::string_view host);
/// "host:port", IPv6 hosts in brackets (the CONNECT request target).
CPA_SDK_API std::string hostPort(const std::string& host, std::uint16_t port);

namespace socks5 {
/// The method offer: "no authentication", plus user/password with credentials.
CPA_SDK_API std::string greeting(const ProxyEndpoint& proxy);
/// The RFC 1929 sub-negotiation; throws ProxyError for fields over 255 bytes.
CPA_SDK_API std::string authRequest(const ProxyEndpoint& proxy);
/// CONNECT by domain name (the proxy resolves it); throws ProxyError for a name over 255 bytes.
CPA_SDK_API std::string connectRequest(const std::string& host, std::uint16_t port);
/// Throws ProxyError naming a reply code other than success.
CPA_SDK_API void checkReply(unsigned char version, unsigned char code);
}  // namespace socks5

namespace proxy_detail {
template <class Socket>
void sendAll(Socket& s, const std::string& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
        const int n = s.sendBytes(bytes.data() + off, static_cast<int>(bytes.size() - off), MSG_NOSIGNAL);
        if (n <= 0) throw ProxyError("proxy closed the connection during the handshake");
        off += static_cast<std::size_t>(n);
    }
}
template <class Socket>
void receiveExactly(Socket& s, unsigned char* buf, std::size_t n) {
    std::size_t off = 0;
    while (off < n) {
        const int got = s.receiveBytes(buf + off, static_cast<int>(n - off));
        if (got <= 0) throw ProxyError("proxy closed the connection during the handshake");
        off += static_cast<std::size_t>(got);
    }
}
}  // namespace proxy_detail

/// SOCKS5 CONNECT to host:port over `s`, already connected to the proxy.
template <class Socket>
void socks5Connect(Socket& s, const ProxyEndpoint& proxy, const std::string& host, std::uint16_t port) {
    using proxy_detail::receiveExactly;
    using proxy_detail::sendAll;
    sendAll(s, socks5::greeting(proxy));
    unsigned char reply[4];
    receiveExactly(s, reply, 2);
    if (reply[0] != 0x05) throw ProxyError("not a SOCKS5 proxy");
    if (reply[1] == 0x02 && proxy.hasCredentials) {
        sendAll(s, socks5::authRequest(proxy));
        receiveExactly(s, reply, 2);
        if (reply[1] != 0x00) throw ProxyError("SOCKS5 authentication failed");
    } else if (reply[1] != 0x00) {
        throw ProxyError("SOCKS5 proxy accepts none of our authentication methods");
    }
    sendAll(s, socks5::connectRequest(host, port));
    receiveExactly(s, reply, 4);
    socks5::checkReply(reply[0], reply[1]);
    std::size_t addrLen = reply[3] == 0x01 ? 4 : reply[3] == 0x04 ? 16 : 0;
    if (reply[3] == 0x03) {
        unsigned char len = 0;
        receiveExactly(s, &len, 1);
        addrLen = len;
    } else if (addrLen == 0) {
        throw ProxyError("SOCKS5 reply has an unknown address type");
    }
    unsigned char bound[258];
    receiveExactly(s, bound, addrLen + 2);  // the bound address and port: unused
}

/// HTTP CONNECT to host:port over `s`, already connected to the proxy. The
/// reply head is read byte by byte so nothing of the tunnel is consumed.
template <class Socket>
void httpConnect(Socket& s, const ProxyEndpoint& proxy, const std::string& host, std::uint16_t port) {
    const std::string authority = hostPort(host, port);
    std::string req = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
    if (const std::string auth = proxyBasicAuth(proxy); !auth.empty()) req += "Proxy-Authorization: " + auth + "\r\n";
    req += "\r\n";
    proxy_detail::sendAll(s, req);
    std::string head;
    unsigned char c = 0;
    while (head.size() < 16384 && head.find("\r\n\r\n") == std::string::npos) {
        proxy_detail::receiveExactly(s, &c, 1);
        head.push_back(static_cast<char>(c));
    }
    const std::string statusLine = head.substr(0, head.find("\r\n"));
    const auto sp = statusLine.find(' ');
    if (sp == std::string::npos || statusLine.compare(sp + 1, 1, "2") != 0) {
        const std::string status = sp == std::string::npos ? statusLine : statusLine.substr(sp + 1);
        throw ProxyError("proxy answered CONNECT with " + status);
    }
}

}  // namespace cpa::sdk
