#pragma once
// A configured ProxyModule over the SDK fakes with a scripted executor and a
// manual clock; requests go straight to the service's handlers. The config's
// key families reach it as in the server: contributed by the provider-keys
// module (configured first on the same context).
#include "provider_keys_module.hpp"
#include "proxy_module.hpp"
#include "support/routing_fakes.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

namespace cpa::proxy::testing {

class ProxyFixture : public ::testing::Test {
protected:
    void start(const std::string& configJson) {
        ctx = std::make_unique<sdk::testing::FakeContext>(sdk::parseJson(configJson));
        auto ex = std::make_unique<ScriptedExecutor>();
        exec = ex.get();
        clock = std::make_shared<FakeClock>();
        keys = std::make_unique<provider_keys::ProviderKeysModule>();
        keys->configure(*ctx);
        module = std::make_unique<ProxyModule>(std::move(ex), clock);
        module->configure(*ctx);
    }

    void reloadConfig(const std::string& configJson) { ctx->config().reload(sdk::parseJson(configJson)); }

    ProxyService& service() { return module->service(); }

    /// `hungUp`: the client has gone away before the request is handled.
    sdk::testing::FakeResponse post(const std::string& target, const std::string& body,
                                    ClientFormat format = ClientFormat::OpenAIChat, const std::string& pattern = "",
                                    bool hungUp = false) {
        sdk::testing::FakeRequest req(sdk::Method::Post, target, body);
        const auto q = target.find('?');
        req.setRoutePattern(pattern.empty() ? target.substr(0, q) : pattern);
        req.setRequestId("req-1");
        req.setAccess(sdk::Access::ClientKey);
        if (!principal.empty()) req.setAttribute(std::string(sdk::kClientKeyAttribute), sdk::Value(principal));
        sdk::testing::FakeResponse res;
        if (hungUp) res.writer().disconnect();
        service().handleGeneration(req, res, format);
        return res;
    }

    sdk::testing::FakeResponse chat(const std::string& model, bool stream = false) {
        return post("/v1/chat/completions",
                    R"({"model":")" + model + R"(","stream":)" + (stream ? "true" : "false") + "}");
    }

    sdk::testing::FakeResponse get(const std::string& target, const std::string& userAgent = "") {
        sdk::testing::FakeRequest req(sdk::Method::Get, target);
        if (!userAgent.empty()) req.setHeader("User-Agent", userAgent);
        sdk::testing::FakeResponse res;
        if (target.rfind("/v1beta/models/", 0) == 0) service().handleGeminiModel(req, res);
        else if (target.rfind("/v1beta/models", 0) == 0) service().handleGeminiModels(req, res);
        else service().handleModels(req, res);
        return res;
    }

    /// Upstream API key of a credential id.
    std::string keyOf(const std::string& id) const {
        for (const auto& c : module->service().pool().activeCredentials())
            if (c->id == id) return c->upstream->apiKey;
        return "?";
    }
    std::string idOf(const std::string& apiKey) const {
        for (const auto& c : module->service().pool().activeCredentials())
            if (c->upstream->apiKey == apiKey) return c->id;
        return "?";
    }
    /// API keys of the attempts so far, in order.
    std::vector<std::string> calledKeys() const {
        std::vector<std::string> out;
        for (const auto& c : exec->calls()) out.push_back(keyOf(c.credentialId));
        return out;
    }
    /// Credentials' API keys in ID order (the order fill-first and round-robin follow).
    std::vector<std::string> keysInIdOrder() const {
        std::vector<std::string> out;
        for (const auto& c : module->service().pool().activeCredentials()) out.push_back(c->upstream->apiKey);
        return out;
    }
    std::vector<sdk::Value> published(std::string_view topic) const { return ctx->events().publishedOn(topic); }

    std::unique_ptr<sdk::testing::FakeContext> ctx;
    ScriptedExecutor* exec = nullptr;
    std::shared_ptr<FakeClock> clock;
    std::unique_ptr<provider_keys::ProviderKeysModule> keys;
    std::unique_ptr<ProxyModule> module;
    std::string principal;
};

}  // namespace cpa::proxy::testing
