#pragma once
// Outbound HTTP(S) to the providers: Poco HTTPSClientSession with the system
// CA store for https, plain HTTP otherwise (loopback fakes in tests), through
// the global proxy-url when set.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace cpa::oauth::login {

struct FetchResult {
    int status{};
    std::string body;
};

struct FetchRequest {
    std::string method{"GET"};
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds timeout{30000};
    std::string proxyUrl;  ///< global `proxy-url`: http(s):// or socks5(h):// proxies
};

/// Throws std::runtime_error on transport failures (no status received).
FetchResult fetch(const FetchRequest& request);

}  // namespace cpa::oauth::login
