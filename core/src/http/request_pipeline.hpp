#pragma once
// The per-request pipeline (one Poco handler per request):
// request id + CORS → OPTIONS 204 → route (404) → body limit (413) →
// BeforeAccess middleware → the route's access guard → AfterAccess middleware
// → handler → send → every middleware's onComplete (reverse) → access line.
#include "http/client_ip.hpp"
#include "http/connection_registry.hpp"
#include "http/http_server.hpp"
#include "http/router.hpp"

#include <cpa/sdk/module.hpp>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <atomic>
#include <cstddef>
#include <memory>

namespace cpa::core {

/// What every request thread shares; immutable after construction except the
/// counters and the stopping flag.
struct PipelineContext {
    std::shared_ptr<Router> router;
    AccessGuards guards;
    std::shared_ptr<sdk::Logger> accessLog;
    std::shared_ptr<sdk::Logger> coreLog;
    TrustedProxies trustedProxies;
    std::size_t maxBodyBytes = 0;  ///< 0 = unlimited
    std::shared_ptr<ConnectionRegistry> connections = std::make_shared<ConnectionRegistry>();
    std::atomic<std::size_t> inFlight{0};
    std::atomic<bool> stopping{false};  ///< answer with "Connection: close"
};

class RequestPipeline final : public Poco::Net::HTTPRequestHandler {
public:
    explicit RequestPipeline(std::shared_ptr<PipelineContext> ctx) : ctx_(std::move(ctx)) {}
    /// Never throws: every failure becomes a response or a closed connection.
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    std::shared_ptr<PipelineContext> ctx_;
};

class RequestPipelineFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit RequestPipelineFactory(std::shared_ptr<PipelineContext> ctx) : ctx_(std::move(ctx)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new RequestPipeline(ctx_);
    }

private:
    std::shared_ptr<PipelineContext> ctx_;
};

}  // namespace cpa::core
