#pragma once
// Middleware: a request to a generation route that never reached its handler
// (401 from the client-key guard, 413 for the body), and a non-GET request
// that matched no route (a 404, an OPTIONS preflight), still gets its request
// record, as the original's capture runs before routing and authentication
// (data-plane §12). GET requests are never logged.
#include "proxy_service.hpp"

#include <cpa/sdk/http.hpp>

#include <set>
#include <string>

namespace cpa::proxy {

class UnservedRecorder final : public sdk::Middleware {
public:
    /// `patterns`: the generation routes' patterns.
    UnservedRecorder(ProxyService& service, std::set<std::string, std::less<>> patterns)
        : service_(service), patterns_(std::move(patterns)) {}
    sdk::Next onRequest(sdk::Request&, sdk::Response&) override { return sdk::Next::Continue; }
    void onComplete(const sdk::Request& req, const sdk::Response& res) noexcept override;

private:
    ProxyService& service_;
    std::set<std::string, std::less<>> patterns_;
};

}  // namespace cpa::proxy
