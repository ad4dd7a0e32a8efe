// The refresh decision (oauth-executors.md §1.8, §2.2, §2.3), the metadata a
// refresh leaves (oauth-executors.md §2.4), and the token service's single flight and backoff
// against a token endpoint that refuses connections (no network needed).
#include "tokens/refresh_call.hpp"
#include "tokens/refresh_policy.hpp"
#include "tokens/refresh_scheduler.hpp"
#include "tokens/runtime_overlay.hpp"
#include "time_values.hpp"
#include "tokens/token_service.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/time_format.hpp>
#include <cpa/sdk/testing/fake_context.hpp>
#include <cpa/sdk/testing/in_memory_config_store.hpp>

#include <gtest/gtest.h>

#include <Poco/Net/ServerSocket.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
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
    // Antigravity's pair when no expiry key parses (oauth-executors.md §1.3): ms + s.
    EXPECT_EQ(tokenExpiryNs(sdk::parseJson(R"({"timestamp":1799996400000,"expires_in":3600})")), 1800000000LL * kS);
    EXPECT_EQ(tokenExpiryNs(sdk::parseJson(R"({"expired":"2027-01-15T08:00:00Z","timestamp":1,"expires_in":1})")),
              1800000000LL * kS);
    EXPECT_FALSE(tokenExpiryNs(sdk::parseJson(R"({"timestamp":1799996400000})")));
    EXPECT_FALSE(tokenExpiryNs(sdk::parseJson(R"({"timestamp":0,"expires_in":3600})")));
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

TEST(RefreshPolicy, DatesBeyond2262AreTheFarFutureNotExpired) {
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    // int64 nanoseconds end on 2262-04-11: later times saturate instead of wrapping negative.
    EXPECT_EQ(tokenExpiryNs(sdk::parseJson(R"({"expired":"9999-12-31T23:59:59Z"})")), kMax);
    EXPECT_EQ(tokenExpiryNs(sdk::parseJson(R"({"expired":"2262-04-12T00:00:00.5-01:00"})")), kMax);
    EXPECT_EQ(tokenExpiryNs(sdk::parseJson(R"({"expires_at":"2300-01-01 00:00:00"})")), kMax);
    EXPECT_EQ(tokenExpiryNs(sdk::parseJson(R"({"expires":20000000000})")), kMax);        // seconds, year 2603
    EXPECT_EQ(tokenExpiryNs(sdk::parseJson(R"({"expires":"9000000000000000"})")), kMax);  // milliseconds
    EXPECT_EQ(tokenExpiryNs(sdk::parseJson(R"({"expires":1e30})")), kMax);
    EXPECT_EQ(parseLastRefreshNs("2500-01-01T00:00:00Z"), kMax);
    EXPECT_EQ(parseLastRefreshNs("99999999999"), kMax);
    // The last representable second still parses exactly.
    EXPECT_EQ(tokenExpiryNs(sdk::parseJson(R"({"expired":"2262-04-11T23:47:16Z"})")), 9223372036LL * kS);
    const auto farFuture = tokenExpiryNs(sdk::parseJson(R"({"expired":"3000-01-01T00:00:00Z"})"));
    EXPECT_EQ(decideToken(state("t", farFuture), kNow), TokenAction::UseStored);
    EXPECT_TRUE(stillUsable(farFuture, kNow));
    EXPECT_EQ(nextRefreshDueNs({farFuture, std::nullopt, 4 * 3600 * kS, 0}, kNow), kMax - 4 * 3600 * kS);
}

TEST(RefreshPolicy, BackgroundScheduleFollowsTheLeadOrThePreferredInterval) {
    const std::int64_t lead = 4 * 3600 * kS;
    // Lead mode: expiry − lead, never before now; else last refresh + lead; else now.
    EXPECT_EQ(nextRefreshDueNs({kNow + 10 * 3600 * kS, std::nullopt, lead, 0}, kNow), kNow + 6 * 3600 * kS);
    EXPECT_EQ(nextRefreshDueNs({kNow + 3600 * kS, std::nullopt, lead, 0}, kNow), kNow);
    EXPECT_EQ(nextRefreshDueNs({kNow - kS, std::nullopt, lead, 0}, kNow), kNow);
    EXPECT_EQ(nextRefreshDueNs({std::nullopt, kNow - 3600 * kS, lead, 0}, kNow), kNow + 3 * 3600 * kS);
    EXPECT_EQ(nextRefreshDueNs({std::nullopt, std::nullopt, lead, 0}, kNow), kNow);
    EXPECT_EQ(nextRefreshDueNs({kNow, std::nullopt, 0, 0}, kNow), std::nullopt);  // no refresher
    // Interval mode: min(expiry − P, last + P); an unknown last refresh is due now.
    const std::int64_t p = 3600 * kS;
    EXPECT_EQ(nextRefreshDueNs({kNow + 10 * p, kNow - p / 2, lead, p}, kNow), kNow + p / 2);
    EXPECT_EQ(nextRefreshDueNs({kNow + p + p / 4, kNow, lead, p}, kNow), kNow + p / 4);
    EXPECT_EQ(nextRefreshDueNs({kNow + 10 * p, std::nullopt, lead, p}, kNow), kNow);
    EXPECT_EQ(preferredIntervalNs(sdk::parseJson(R"({"refresh_interval_seconds":900})")), 900 * kS);
    EXPECT_EQ(preferredIntervalNs(sdk::parseJson(R"({"refreshInterval":"60"})")), 60 * kS);
    EXPECT_EQ(preferredIntervalNs(sdk::parseJson(R"({"refresh_interval":"soon"})")), 0);
    EXPECT_EQ(lastRefreshNs(sdk::parseJson(R"({"lastRefreshedAt":"2027-01-15T08:00:00Z"})")), kNow);
}

TEST(TokenService, TheBackgroundRefreshSkipsDisabledFilesAndFilesWithoutARefreshToken) {
    ServiceFixture f(R"({"type":"claude","access_token":"t","refresh_token":"r","expired":"2000-01-01T00:00:00Z","disabled":true})");
    EXPECT_FALSE(f.tokens->backgroundDueNs(*f.store->record("claude-a.json")));
    EXPECT_FALSE(f.tokens->refreshInBackground("claude-a.json", nullptr));
    std::ofstream(f.dir / "claude-b.json") << R"({"type":"claude","access_token":"t","expired":"2000-01-01T00:00:00Z"})";
    std::ofstream(f.dir / "claude-c.json")
        << R"({"type":"claude","access_token":"t","refresh_token":"r","expired":"2200-01-01T00:00:00Z"})";
    f.store->rescan();
    EXPECT_FALSE(f.tokens->backgroundDueNs(*f.store->record("claude-b.json")));
    EXPECT_FALSE(f.tokens->refreshInBackground("claude-c.json", nullptr));  // not due for 175 years
    EXPECT_EQ(f.tokens->refreshCount(), 0);
}

TEST(TokenService, TheBackgroundRefreshSchedulesGeminiCliAndKimiFiles) {
    ServiceFixture f(R"({"type":"claude","access_token":"t","refresh_token":"r","expired":"2200-01-01T00:00:00Z"})");
    // Gemini CLI keeps its tokens in the `token` object (oauth-executors.md §1.3).
    std::ofstream(f.dir / "gemini-g.json")
        << R"({"type":"gemini","project_id":"p","token":{"access_token":"t","refresh_token":"r","expiry":"2000-01-01T00:00:00Z"}})";
    std::ofstream(f.dir / "kimi-k.json")
        << R"({"type":"kimi","access_token":"t","refresh_token":"r","expired":"2000-01-01T00:00:00Z"})";
    std::ofstream(f.dir / "gemini-none.json") << R"({"type":"gemini","token":{"access_token":"t","expiry":"2000-01-01T00:00:00Z"}})";
    std::ofstream(f.dir / "qwen-q.json") << R"({"type":"qwen","access_token":"t","refresh_token":"r","expired":"2000-01-01T00:00:00Z"})";
    f.store->rescan();
    const auto due = [&](const char* name) {
        const StoredPtr rec = f.store->record(name);
        EXPECT_TRUE(rec) << name;
        return rec && f.tokens->backgroundDueNs(*rec).has_value();
    };
    EXPECT_TRUE(due("gemini-g.json"));
    EXPECT_TRUE(due("kimi-k.json"));
    EXPECT_FALSE(due("gemini-none.json")) << "no refresh token";
    EXPECT_FALSE(due("qwen-q.json")) << "no refresher here";
}

TEST(TokenService, AFailedBackgroundRefreshBacksOffLikeARequestTimeOne) {
    ServiceFixture f(R"({"type":"claude","access_token":"t","refresh_token":"r","expired":"2000-01-01T00:00:00Z"})");
    EXPECT_TRUE(f.tokens->refreshInBackground("claude-a.json", nullptr));
    EXPECT_EQ(f.tokens->refreshCount(), 1);
    const auto failure = f.tokens->refreshFailure("claude-a.json");
    ASSERT_TRUE(failure);
    EXPECT_EQ(f.tokens->backgroundDueNs(*f.store->record("claude-a.json")), failure->retryAfterNs);
    EXPECT_FALSE(f.tokens->refreshInBackground("claude-a.json", nullptr));  // backing off
    EXPECT_EQ(f.tokens->refreshCount(), 1);
}

namespace {

/// A loopback port that accepts connections (the kernel's backlog) and never answers.
struct SilentEndpoint {
    Poco::Net::ServerSocket socket{Poco::Net::SocketAddress("127.0.0.1", 0)};
    std::string url() const { return "http://127.0.0.1:" + std::to_string(socket.address().port()) + "/token"; }
};

}  // namespace

TEST(RefreshScheduler, RefreshesADueFileWithoutARequestAndStopCutsAHangingCall) {
    SilentEndpoint silent;
    ServiceFixture f(R"({"type":"claude","access_token":"t","refresh_token":"r","expired":"2000-01-01T00:00:00Z"})");
    f.config = std::make_unique<sdk::testing::InMemoryConfigStore>(sdk::parseJson(
        R"({"oauth-login":{"refresh-timeout-ms":60000,"anthropic":{"token-url":")" + silent.url() + R"("}}})"));
    f.tokens = std::make_shared<TokenService>(f.store, *f.config, f.log);
    RefreshScheduler scheduler(f.store, f.tokens, f.log, 2);
    scheduler.start();
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (f.tokens->refreshCount() == 0 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_EQ(f.tokens->refreshCount(), 1);  // started by the loop, no request
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // now blocked reading the silent endpoint
    const auto before = std::chrono::steady_clock::now();
    scheduler.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(2));
    EXPECT_FALSE(f.tokens->refreshFailure("claude-a.json")) << "a cancelled refresh records nothing";
    scheduler.stop();  // idempotent
}

// ----- the runtime fields of a listing entry (oauth-executors.md §4.4) -----

namespace {

/// The data plane's per-credential states, as cpa.CredentialStates/1 reports them.
struct FixedStates : sdk::CredentialStates {
    std::map<std::string, sdk::CredentialRuntimeState, std::less<>> states;
    sdk::CredentialRuntimeState state(std::string_view id) const override {
        const auto it = states.find(id);
        return it == states.end() ? sdk::CredentialRuntimeState{} : it->second;
    }
};

struct OverlayFixture : ServiceFixture {
    sdk::testing::FakeServices services;
    std::shared_ptr<FixedStates> states = std::make_shared<FixedStates>();

    explicit OverlayFixture(const std::string& fileText) : ServiceFixture(fileText) {
        ::setenv("TZ", "UTC", 1);
        ::tzset();
    }
    /// The entry as the listing builds it, then the overlay applied.
    sdk::Value entry() {
        sdk::Value e = sdk::Value::object({{"id", "claude-a.json"}, {"status", "active"}});
        runtimeOverlay(tokens, services)(*store->record("claude-a.json"), e);
        return e;
    }
};

const char* kValid = R"({"type":"claude","access_token":"ok","refresh_token":"r","expired":"2200-01-01T00:00:00Z"})";
const char* kExpired = R"({"type":"claude","access_token":"old","refresh_token":"r","expired":"2000-01-01T00:00:00Z"})";

}  // namespace

TEST(OauthRuntimeOverlay, WithoutADataPlaneOrAFailureTheEntryIsUntouched) {
    OverlayFixture f(kValid);
    EXPECT_EQ(sdk::toJson(f.entry()), R"({"id":"claude-a.json","status":"active"})");
    f.services.provide(sdk::kCredentialStatesService, f.states);  // provided, but never routed: unknown
    EXPECT_EQ(sdk::toJson(f.entry()), R"({"id":"claude-a.json","status":"active"})");
}

TEST(OauthRuntimeOverlay, TheDataPlanesStateGivesCountersErrorAndRetryTime) {
    OverlayFixture f(kValid);
    f.services.provide(sdk::kCredentialStatesService, f.states);
    sdk::CredentialRuntimeState st;
    st.known = true;
    st.success = 4;
    st.failed = 2;
    f.states->states["claude-a.json"] = st;
    EXPECT_EQ(sdk::toJson(f.entry()),
              R"({"id":"claude-a.json","status":"active","success":4,"failed":2,"unavailable":false})");

    st.error = true;
    st.statusMessage = "quota exhausted";
    st.unavailable = true;
    st.nextRetryAfterUnixMs = 1777608003500;  // 2026-05-01T04:00:03.5Z
    f.states->states["claude-a.json"] = st;
    EXPECT_EQ(sdk::toJson(f.entry()),
              R"({"id":"claude-a.json","status":"error","success":4,"failed":2,"status_message":"quota exhausted",)"
              R"("unavailable":true,"next_retry_after":"2026-05-01T04:00:03.5Z"})");

    st.nextRetryAfterUnixMs = 0;  // blocked without a known recovery: no retry time
    f.states->states["claude-a.json"] = st;
    EXPECT_FALSE(f.entry().find("next_retry_after"));
}

TEST(OauthRuntimeOverlay, AFailedRefreshOfAnExpiredTokenMakesTheFileUnavailableUntilTheRetry) {
    OverlayFixture f(kExpired);
    EXPECT_FALSE(f.tokens->token("claude-a.json", std::chrono::seconds(5)).ok);
    const auto failure = f.tokens->refreshFailure("claude-a.json");
    ASSERT_TRUE(failure);
    const sdk::Value e = f.entry();
    EXPECT_EQ(e.find("status")->asString(), "error");
    EXPECT_EQ(e.find("status_message")->asString(), failure->message);
    EXPECT_FALSE(failure->message.empty());
    ASSERT_TRUE(e.find("unavailable"));
    EXPECT_TRUE(e.find("unavailable")->asBool());
    EXPECT_EQ(e.find("next_retry_after")->asString(), sdk::formatRfc3339Nano(sdk::zonedFromUnixNanos(failure->retryAfterNs)));
}

TEST(OauthRuntimeOverlay, AFailedRefreshOfAStillValidTokenKeepsTheFileServingAndWinsOverTheDataPlane) {
    OverlayFixture f(kValid);
    f.services.provide(sdk::kCredentialStatesService, f.states);
    sdk::CredentialRuntimeState st;
    st.known = true;
    st.error = true;
    st.statusMessage = "upstream 500";
    f.states->states["claude-a.json"] = st;
    // A 401 on the stored token forces a refresh, which the closed port fails;
    // the stored token is still valid, so it is handed out again (oauth-executors.md §2.6).
    const sdk::TokenGrant g = f.tokens->refreshAfterRejection("claude-a.json", "ok", std::chrono::seconds(5));
    EXPECT_TRUE(g.ok);
    EXPECT_EQ(g.accessToken, "ok");
    const auto failure = f.tokens->refreshFailure("claude-a.json");
    ASSERT_TRUE(failure);
    const sdk::Value e = f.entry();
    EXPECT_EQ(e.find("status")->asString(), "error");
    EXPECT_EQ(e.find("status_message")->asString(), failure->message);  // the refresh's, not the data plane's
    EXPECT_FALSE(e.find("unavailable")->asBool());                       // the old token still serves
    EXPECT_FALSE(e.find("next_retry_after"));
}

TEST(OauthRuntimeOverlay, DisabledFilesAndEntriesWithoutAnIdAreLeftAlone) {
    OverlayFixture f(R"({"type":"claude","access_token":"old","refresh_token":"r","expired":"2000-01-01T00:00:00Z",
                        "disabled":true})");
    f.services.provide(sdk::kCredentialStatesService, f.states);
    sdk::CredentialRuntimeState st;
    st.known = true;
    st.success = 1;
    f.states->states["claude-a.json"] = st;
    EXPECT_EQ(sdk::toJson(f.entry()), R"({"id":"claude-a.json","status":"active"})");
    sdk::Value noId = sdk::Value::object({{"name", "claude-a.json"}});
    runtimeOverlay(f.tokens, f.services)(*f.store->record("claude-a.json"), noId);
    EXPECT_EQ(sdk::toJson(noId), R"({"name":"claude-a.json"})");
}
