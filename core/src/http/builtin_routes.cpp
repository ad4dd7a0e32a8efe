#include "http/http_server.hpp"

namespace cpa::core {

namespace {

constexpr std::string_view kJsonType = "application/json; charset=utf-8";

}  // namespace

void registerBuiltinRoutes(Router& router) {
    // Bodies are constant: written as text so no JSON library runs per probe.
    auto health = [](sdk::Request&, sdk::Response& res) {
        res.setStatus(200);
        res.setBody(R"({"status":"ok"})", kJsonType);  // HEAD: the server drops the body
    };
    router.route(sdk::Method::Get, "/healthz", sdk::Access::Public, health);
    router.route(sdk::Method::Head, "/healthz", sdk::Access::Public, health);
    router.route(sdk::Method::Get, "/", sdk::Access::Public, [](sdk::Request&, sdk::Response& res) {
        res.setStatus(200);
        res.setBody(
            R"({"message":"CLI Proxy API Server","endpoints":["POST /v1/chat/completions","POST /v1/completions","GET /v1/models"]})",
            kJsonType);
    });
}

}  // namespace cpa::core
