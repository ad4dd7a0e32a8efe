// Client auth, listings and routing errors through the real server (no upstream needed).
#include "proxy_test_support.hpp"

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

using namespace cpa::test;
using namespace cpa::test::proxy;

namespace {

const std::string kCreds =
    "claude-api-key:\n"
    "  - api-key: \"sk-up-claude\"\n"
    "    base-url: \"http://127.0.0.1:1\"\n"
    "    prefix: \"teamA\"\n"
    "    models:\n"
    "      - name: \"claude-real\"\n"
    "        alias: \"cl\"\n"
    "gemini-api-key:\n"
    "  - api-key: \"sk-up-gemini\"\n"
    "    base-url: \"http://127.0.0.1:1\"\n"
    "    models:\n"
    "      - name: \"gem-real\"\n"
    "        alias: \"gm\"\n";

std::string withKeys(const std::string& keys) { return "api-keys:\n" + keys + kCreds; }

}  // namespace

TEST(ProxyAccess, ClientKeyFromEachSourceAndBoth401s) {
    ServerProcess server(proxyServer(withKeys("  - \"sk-client-1\"\n  - \" sk-client-2 \"\n")));
    HttpClient c("127.0.0.1", server.port());
    auto r = c.get("/v1/models");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body, R"({"error":"Missing API key"})");
    r = c.get("/v1/models", bearer("nope"));
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body, R"({"error":"Invalid API key"})");
    EXPECT_EQ(c.get("/v1/models", bearer("sk-client-1")).status, 200);
    EXPECT_EQ(c.get("/v1/models", {{"Authorization", "sk-client-2"}}).status, 200);
    EXPECT_EQ(c.get("/v1/models", {{"X-Goog-Api-Key", "sk-client-1"}}).status, 200);
    EXPECT_EQ(c.get("/v1/models", {{"X-Api-Key", "sk-client-1"}}).status, 200);
    EXPECT_EQ(c.get("/v1beta/models?key=sk-client-1").status, 200);
    EXPECT_EQ(c.get("/v1beta/models?auth_token=sk-client-2").status, 200);
    // The key is checked before the route's own errors; /backend-api/codex is guarded too.
    r = c.request("POST", "/backend-api/codex/responses", {}, R"({"model":"x"})");
    EXPECT_EQ(r.status, 401);
    // OPTIONS is answered before auth; /healthz and / are public.
    EXPECT_EQ(c.request("OPTIONS", "/v1/chat/completions").status, 204);
    r = c.get("/");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body,
              R"({"message":"CLI Proxy API Server","endpoints":["POST /v1/chat/completions","POST /v1/completions","GET /v1/models"]})");
}

TEST(ProxyAccess, KeysReloadFromDiskAndEmptyListOpensAccess) {
    ServerProcess server(proxyServer(withKeys("  - \"old-key\"\n")));
    HttpClientOptions fresh;
    fresh.keepAlive = false;  // a new connection per request
    HttpClient c("127.0.0.1", server.port(), fresh);
    ASSERT_EQ(c.get("/v1/models", bearer("old-key")).status, 200);
    writeFile(server.configPath(), loopbackConfig(withKeys("  - \"new-key\"\n")));
    EXPECT_TRUE(eventually([&] { return c.get("/v1/models", bearer("old-key")).status == 401; }));
    EXPECT_EQ(c.get("/v1/models", bearer("new-key")).status, 200);
    writeFile(server.configPath(), loopbackConfig("api-keys: []\n" + kCreds));
    EXPECT_TRUE(eventually([&] { return c.get("/v1/models").status == 200; }));
}

TEST(ProxyAccess, Listings) {
    ServerProcess server(proxyServer(kCreds));  // no api-keys: open
    HttpClient c("127.0.0.1", server.port());
    auto r = c.get("/v1/models");
    ASSERT_EQ(r.status, 200);
    auto data = jsonObject(r.body)->getArray("data");
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < data->size(); ++i) ids.push_back(data->getObject(i)->getValue<std::string>("id"));
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, (std::vector<std::string>{"cl", "gm", "teamA/cl"}));
    r = c.get("/v1/models", {{"User-Agent", "claude-cli/2.0"}});
    auto claude = jsonObject(r.body);
    EXPECT_FALSE(claude->getValue<bool>("has_more"));
    EXPECT_EQ(claude->getArray("data")->size(), 3u);
    r = c.get("/v1beta/models");
    EXPECT_EQ(jsonObject(r.body)->getArray("models")->size(), 3u);
    // The catch-all route: a model id holding '/'.
    r = c.get("/v1beta/models/teamA/cl");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(jsonObject(r.body)->getValue<std::string>("name"), "models/teamA/cl");
    r = c.get("/v1beta/models/missing");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, R"({"error":{"message":"Not Found","type":"not_found"}})");
}

TEST(ProxyAccess, RoutingErrorsBeforeAnyUpstream) {
    ServerProcess server(proxyServer(kCreds));
    HttpClient c("127.0.0.1", server.port());
    auto r = c.request("POST", "/v1/chat/completions", {}, R"({"model":"nope"})");
    EXPECT_EQ(r.status, 502);
    EXPECT_EQ(r.body,
              R"({"error":{"message":"unknown provider for model nope","type":"server_error","code":"internal_server_error"}})");
    // Bad input is the client's 400 in its endpoint's own error shape (cpa deviation, docs/compatibility.md).
    r = c.request("POST", "/v1/chat/completions", {}, "not json at all");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              R"({"error":{"message":"request body must be a JSON object","type":"invalid_request_error","param":null,"code":null}})");
    r = c.request("POST", "/v1/chat/completions", {}, R"({"model":"cl","messages":)");
    EXPECT_EQ(r.status, 400) << "a truncated body";
    r = c.request("POST", "/v1/messages", {}, R"({"model":"cl","messages":"hi"})");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              R"({"type":"error","error":{"type":"invalid_request_error","message":"messages: Input should be a valid list"}})");
    r = c.request("POST", "/v1beta/models/gm:generateContent", {}, "[1]");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              R"({"error":{"code":400,"message":"request body must be a JSON object","status":"INVALID_ARGUMENT"}})");
    // A Claude model from a chat client is translated; a chat body without messages cannot be.
    r = c.request("POST", "/v1/chat/completions", {}, R"({"model":"cl"})");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("messages is required"), std::string::npos) << r.body;
    r = c.request("POST", "/v1/responses", {}, R"({"model":"gpt-image-2"})");
    EXPECT_EQ(r.status, 503);
    r = c.request("POST", "/v1/responses/compact", {}, R"({"model":"x","stream":true})");
    EXPECT_EQ(r.status, 400);
    r = c.request("POST", "/v1beta/models/gm", {}, "{}");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, R"({"error":{"message":"/v1beta/models/gm not found.","type":"invalid_request_error"}})");
    r = c.request("POST", "/v1beta/models/gm:unknownMethod", {}, "{}");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "");
}
