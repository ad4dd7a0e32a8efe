// The refresh decision (oauth-executors.md §1.8, §2.2, §2.3), the metadata a
// refresh leaves (§2.4), and the token service's single flight and backoff
// against a token endpoint that refuses connections (no network needed).
#include "tokens/refresh_call.hpp"
#include "tokens/refresh_policy.hpp"
#include "tokens/token_service.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fake_context.hpp>
#include <cpa/sdk/testing/in_memory_config_store.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using namespace cpa;
using namespace cpa::oauth;

namespace {

constexpr std::int64_t kS = 1'000'000'000LL;
constexpr std::int64_t kNow = 1'800'000'000LL * kS;

TokenState state(std::string token, std::optional<std::int64_t> expiry, std::int64_t lead = 4 * 3600 * kS,
                 std::int64_t backoff = 0) {
    return {std::move(token), expiry, lead, backoff};
}

}  // namespace

TEST(RefreshPolicy, LeadTimesPerProvider) {
    EXPECT_EQ(refreshLeadNs("claude"), 4 * 3600 * kS);
    EXPECT_EQ(refreshLeadNs("codex"), 5 * 86400 * kS);
    EXPECT_EQ(refreshLeadNs("kimi"), 300 * kS);
    EXPECT_EQ(refreshLeadNs("gemini-cli"), 300 * kS);  // ours: the original refreshes 10 s before expiry
    EXPECT_EQ(refreshLeadNs("vertex"), 0);
}

TEST(RefreshPolicy, ExpiryKeysAndTimeFormats) {
    EXPECT_EQ(tokenExpiryNs(sdk::parseJson(R"({"expired":"2027-01-15T08:00:00Z"})")), 1800000000LL * kS);
    EXPECT_EQ(tokenExpiryNs(sdk::parseJson(R"({"expires_at":"2027-01-15 08:00:00"})")), 1800000000LL * kS);
    EXPECT_EQ(tokenExpiryNs(sdk::parseJson(R"({"expiry":"2027-01-15 08:00"})")), 1800000000LL * kS);
    EXPECT_EQ(tokenExpiryNs(sdk::parseJson(R"({"expires":1800000000})")), 1800000000LL * kS);
    EXPECT_EQ(tokenExpiryNs(sdk::parseJson(R"({"expiresAt":"1800000000000"})")), 1800000000LL * kS);  // ms
    EXPECT_EQ(tokenExpiryNs(sdk::parseJson(R"({"token":{"expiry":"2027-01-15T08:00:00Z"}})")), 1800000000LL * kS);
    EXPECT_FALSE(tokenExpiryNs(sdk::parseJson(R"({"expired":"soon","expires":0})")));
}

TEST(RefreshPolicy, Decisions) {
    EXPECT_EQ(decideToken(state("t", kNow + 5 * 3600 * kS), kNow), TokenAction::UseStored);
    EXPECT_EQ(decideToken(state("t", std::nullopt), kNow), TokenAction::UseStored);  // a 401 will refresh
    EXPECT_EQ(decideToken(state("t", kNow + 3600 * kS), kNow), TokenAction::Refresh);  // inside the 4 h lead
    EXPECT_EQ(decideToken(state("t", kNow - kS), kNow), TokenAction::Refresh);
    EXPECT_EQ(decideToken(state("", kNow + 9 * 3600 * kS), kNow), TokenAction::Refresh);
    // Backing off after a failure: a still valid token is sent, an expired one fails at once.
    EXPECT_EQ(decideToken(state("t", kNow + 3600 * kS, 4 * 3600 * kS, kNow + 60 * kS), kNow),
              TokenAction::UseStoredStale);
    EXPECT_EQ(decideToken(state("t", kNow + 10 * kS, 4 * 3600 * kS, kNow + 60 * kS), kNow), TokenAction::Fail);
    EXPECT_EQ(decideToken(state("", std::nullopt, 4 * 3600 * kS, kNow + 60 * kS), kNow), TokenAction::Fail);
    // A backoff in the past no longer applies.
    EXPECT_EQ(decideToken(state("t", kNow - kS, 4 * 3600 * kS, kNow - kS), kNow), TokenAction::Refresh);
}

TEST(RefreshCall, MergedMetadataKeepsTheFileAndTakesTheNewTokens) {
    const sdk::Value before = sdk::parseJson(
        R"({"access_token":"old","refresh_token":"r1","email":"x@y","type":"claude","priority":3,"prefix":"team"})");
    const auto now = std::chrono::system_clock::from_time_t(1800000000);
    sdk::Value after = mergeRefreshed("claude", before,
                                      R"({"access_token":"new","expires_in":3600,"account":{"email_address":"a@b"}})", now);
    EXPECT_EQ(after.find("access_token")->asString(), "new");
    EXPECT_EQ(after.find("refresh_token")->asString(), "r1");  // none returned: the old one stays
    EXPECT_EQ(after.find("email")->asString(), "a@b");
    EXPECT_EQ(after.find("priority")->asInt(), 3);
    EXPECT_EQ(after.find("prefix")->asString(), "team");
    EXPECT_EQ(tokenExpiryNs(after), (1800000000LL + 3600) * kS);
    EXPECT_TRUE(after.find("last_refresh"));
    EXPECT_THROW(mergeRefreshed("claude", before, "not json", now), std::runtime_error);
    EXPECT_THROW(mergeRefreshed("codex", before, R"({"refresh_token":"x"})", now), std::runtime_error);
}

namespace {

struct ServiceFixture {
    fs::path dir = fs::temp_directory_path() / ("cpa-token-svc-" + std::to_string(::getpid()));
    sdk::testing::FakeLogger log;
    std::unique_ptr<sdk::testing::InMemoryConfigStore> config;
    std::shared_ptr<FileCredentialStore> store;
    std::shared_ptr<TokenService> tokens;

    explicit ServiceFixture(const std::string& fileText) {
        fs::remove_all(dir);
        fs::create_directories(dir);
        std::ofstream(dir / "claude-a.json") << fileText;
        // Port 1 on loopback refuses connections: every refresh fails fast.
        config = std::make_unique<sdk::testing::InMemoryConfigStore>(
            sdk::parseJson(R"({"oauth-login":{"anthropic":{"token-url":"http://127.0.0.1:1/token"}}})"));
        store = std::make_shared<FileCredentialStore>(dir, log);
        store->load();
        tokens = std::make_shared<TokenService>(store, *config, log);
    }
    ~ServiceFixture() { fs::remove_all(dir); }
};

}  // namespace

TEST(TokenService, AValidTokenIsReturnedWithoutARefresh) {
    ServiceFixture f(R"({"type":"claude","access_token":"ok","refresh_token":"r","expired":"2200-01-01T00:00:00Z"})");
    const sdk::TokenGrant g = f.tokens->token("claude-a.json", std::chrono::seconds(5));
    ASSERT_TRUE(g.ok) << g.status << " " << g.message;
    EXPECT_EQ(g.accessToken, "ok");
    EXPECT_EQ(f.tokens->refreshCount(), 0);
    EXPECT_FALSE(f.tokens->token("missing.json", std::chrono::seconds(5)).ok);
}

TEST(TokenService, ConcurrentCallersShareOneFailedRefreshAndThenBackOff) {
    const std::string text = R"({"type":"claude","access_token":"old","refresh_token":"r","expired":"2000-01-01T00:00:00Z"})";
    ServiceFixture f(text);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 16; ++i)
        threads.emplace_back([&] {
            const sdk::TokenGrant g = f.tokens->token("claude-a.json", std::chrono::seconds(30));
            if (!g.ok && g.status == 503 && g.message.find("claude-a.json") != std::string::npos) ++failures;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 16);
    EXPECT_EQ(f.tokens->refreshCount(), 1);  // the others waited and found the backoff
    const auto failure = f.tokens->refreshFailure("claude-a.json");
    ASSERT_TRUE(failure);
    EXPECT_GT(failure->retryAfterNs, 0);
    // A 401 on the old token does not bypass the backoff either.
    EXPECT_FALSE(f.tokens->refreshAfterRejection("claude-a.json", "old", std::chrono::seconds(5)).ok);
    EXPECT_EQ(f.tokens->refreshCount(), 1);
    std::ifstream in(f.dir / "claude-a.json");
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), text);  // untouched
}

TEST(TokenService, ARejectedTokenIsReplacedByANewerStoredOne) {
    ServiceFixture f(R"({"type":"claude","access_token":"newer","refresh_token":"r","expired":"2200-01-01T00:00:00Z"})");
    // Someone else refreshed meanwhile: the stored token differs from the rejected one.
    const sdk::TokenGrant g = f.tokens->refreshAfterRejection("claude-a.json", "older", std::chrono::seconds(5));
    ASSERT_TRUE(g.ok) << g.status << " " << g.message;
    EXPECT_EQ(g.accessToken, "newer");
    EXPECT_EQ(f.tokens->refreshCount(), 0);
}
