// OAuthExecutor (issue 20): the token goes into a copy of the credential, an
// upstream 401 refreshes once and retries once, token failures become the
// attempt's error, API-key credentials pass through untouched.
#include "exec/oauth_executor.hpp"
#include "support/routing_fakes.hpp"

#include <cpa/sdk/credential_sources.hpp>

#include <gtest/gtest.h>

#include <deque>

using namespace cpa;
using namespace cpa::proxy;
using namespace cpa::proxy::testing;

namespace {

class FakeTokens final : public sdk::TokenSource {
public:
    std::deque<sdk::TokenGrant> grants;
    std::vector<std::string> rejected;
    int tokenCalls{};
    sdk::TokenGrant token(std::string_view, std::chrono::milliseconds) override {
        ++tokenCalls;
        return next();
    }
    sdk::TokenGrant refreshAfterRejection(std::string_view, std::string_view token, std::chrono::milliseconds) override {
        rejected.emplace_back(token);
        return next();
    }

private:
    sdk::TokenGrant next() {
        sdk::TokenGrant g = grants.front();
        grants.pop_front();
        return g;
    }
};

sdk::TokenGrant grant(std::string token, std::string account = "") {
    sdk::TokenGrant g;
    g.ok = true;
    g.accessToken = std::move(token);
    g.accountId = std::move(account);
    return g;
}

struct Harness {
    ScriptedExecutor* inner;
    std::unique_ptr<OAuthExecutor> exec;
    std::shared_ptr<FakeTokens> tokens = std::make_shared<FakeTokens>();
    std::vector<std::string> seenKeys;
    std::vector<HeaderList> seenHeaders;
    ExecRequest req;
    StringSink sink;

    explicit Harness(std::string wire) {
        auto scripted = std::make_unique<ScriptedExecutor>();
        inner = scripted.get();
        exec = std::make_unique<OAuthExecutor>(std::move(scripted));
        exec->setTokenSource(tokens);
        auto cred = std::make_shared<UpstreamCredential>();
        cred->id = "claude-a.json";
        cred->wire = std::move(wire);
        cred->oauth = isOAuthWire(cred->wire);
        cred->apiKey = cred->oauth ? "" : "sk-key";
        req.credential = cred;
    }
    void respond(int status) {
        inner->push([this, status](const ExecRequest& r, ClientSink&) {
            seenKeys.push_back(r.credential->apiKey);
            seenHeaders.push_back(r.credential->headers);
            ExecResult res = status == 200 ? ScriptedExecutor::ok() : ExecResult{};
            res.status = status;
            return res;
        });
    }
};

}  // namespace

TEST(OAuthExecutor, TheTokenAndAccountIdGoIntoACopyOfTheCredential) {
    Harness h("oauth:codex");
    h.tokens->grants.push_back(grant("tok-1", "acct"));
    h.respond(200);
    const ExecResult r = h.exec->execute(h.req, h.sink);
    EXPECT_TRUE(r.ok);
    ASSERT_EQ(h.seenKeys.size(), 1u);
    EXPECT_EQ(h.seenKeys[0], "tok-1");
    ASSERT_FALSE(h.seenHeaders[0].empty());
    EXPECT_EQ(h.seenHeaders[0][0], (std::pair<std::string, std::string>{"Chatgpt-Account-Id", "acct"}));
    EXPECT_EQ(h.req.credential->apiKey, "");  // the shared credential is never written
}

TEST(OAuthExecutor, A401RefreshesOnceAndRetriesOnce) {
    Harness h("oauth:claude");
    h.tokens->grants = {grant("old"), grant("new")};
    h.respond(401);
    h.respond(401);
    const ExecResult r = h.exec->execute(h.req, h.sink);
    EXPECT_EQ(r.status, 401);  // the second 401 is the attempt's result: no loop
    EXPECT_EQ(h.seenKeys, (std::vector<std::string>{"old", "new"}));
    EXPECT_EQ(h.tokens->rejected, (std::vector<std::string>{"old"}));
}

TEST(OAuthExecutor, TokenFailuresAreTheAttemptsErrorWithoutAnUpstreamCall) {
    Harness h("oauth:claude");
    sdk::TokenGrant bad;
    bad.status = 503;
    bad.message = "auth file claude-a.json: token refresh failed with status 500: x";
    h.tokens->grants.push_back(bad);
    ExecResult r = h.exec->execute(h.req, h.sink);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.errorMessage, bad.message);
    EXPECT_TRUE(h.inner->calls().empty());

    sdk::TokenGrant gone;
    gone.status = 404;
    gone.message = "gone";
    h.tokens->grants.push_back(gone);
    r = h.exec->execute(h.req, h.sink);
    EXPECT_EQ(r.status, 0);  // not the model's fault: no cooldown status
}

TEST(OAuthExecutor, ApiKeyCredentialsPassThroughAndAMissingSourceIs503) {
    Harness h("claude-messages");
    h.respond(200);
    EXPECT_TRUE(h.exec->execute(h.req, h.sink).ok);
    EXPECT_EQ(h.seenKeys, (std::vector<std::string>{"sk-key"}));
    EXPECT_EQ(h.tokens->tokenCalls, 0);

    Harness o("oauth:claude");
    o.exec->setTokenSource(nullptr);
    const ExecResult r = o.exec->execute(o.req, o.sink);
    EXPECT_EQ(r.status, 503);
    EXPECT_TRUE(o.inner->calls().empty());
}
