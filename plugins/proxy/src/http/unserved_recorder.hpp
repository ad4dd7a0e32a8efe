#pragma once
// Middleware: a request to a generation route that never reached its handler
// (401 from the client-key guard, 413 for the body) still gets its request
// record, as the original's capture runs before authentication (data-plane
// §12). GET listings are never logged.
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
