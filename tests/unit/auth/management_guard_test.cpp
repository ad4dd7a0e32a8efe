// The management decision algorithm (management-api-core.md §2.4) with fake requests: every branch.
#include "auth/management_guard.hpp"

#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace st = cpa::sdk::testing;
using cpa::core::ManagementGuard;
using cpa::core::ManagementSecrets;
using cpa::sdk::Next;
using cpa::sdk::Value;

namespace {

// "bcrypt" for the test: the hash is "$2a$" + plaintext; counts calls.
struct Fixture {
    st::InMemoryConfigStore store;
    int bcryptCalls = 0;
    std::unique_ptr<ManagementGuard> guard;

    explicit Fixture(Value remote, ManagementSecrets secrets = {})
        : store(Value::object({{"remote-management", std::move(remote)}})) {
        guard = std::make_unique<ManagementGuard>(
            store, std::move(secrets), cpa::sdk::BuildInfo{"1.2.3", "abc", "today"},
            [this](const std::string& plain, const std::string& hash) {
                ++bcryptCalls;
                return hash == "$2a$" + plain;
            });
    }
    std::pair<Next, st::FakeResponse> run(const std::string& ip, std::vector<std::pair<std::string, std::string>> headers) {
        st::FakeRequest req;
        req.setClientIp(ip).setPeerAddress(ip);
        for (auto& [k, v] : headers) req.addHeader(k, v);
        st::FakeResponse res;
        Next n = guard->check(req, res);
        return {n, std::move(res)};
    }
};

Value remote(bool allow, const std::string& secret) {
    return Value::object({{"allow-remote", allow}, {"secret-key", secret}});
}

std::string error(const st::FakeResponse& r) { return r.bodyJson().find("error")->asString(); }

}  // namespace

TEST(ManagementGuard, LocalWithCorrectKeyPassesAndBcryptRunsOnce) {
    Fixture f(remote(false, "$2a$pw"));
    for (int i = 0; i < 50; ++i) {
        auto [next, res] = f.run("127.0.0.1", {{"Authorization", "Bearer pw"}});
        EXPECT_EQ(next, Next::Continue);
        EXPECT_EQ(res.header("X-CPA-VERSION").value_or(""), "1.2.3");
        EXPECT_EQ(res.header("X-CPA-COMMIT").value_or(""), "abc");
        EXPECT_EQ(res.header("X-CPA-BUILD-DATE").value_or(""), "today");
    }
    EXPECT_EQ(f.bcryptCalls, 1) << "verified once, then cached";
    EXPECT_EQ(f.run("::1", {{"X-Management-Key", "pw"}}).first, Next::Continue);
}

TEST(ManagementGuard, RemoteDisabledBeforeKeyChecks) {
    Fixture f(remote(false, "$2a$pw"));
    auto [next, res] = f.run("10.1.2.3", {});
    EXPECT_EQ(next, Next::Stop);
    EXPECT_EQ(res.status(), 403);
    EXPECT_EQ(error(res), "remote management disabled");
    // 127.0.0.2 and "localhost" are not local.
    EXPECT_EQ(error(f.run("127.0.0.2", {{"Authorization", "pw"}}).second), "remote management disabled");
    // Not counted: the address is not banned after many tries.
    for (int i = 0; i < 10; ++i) f.run("10.1.2.3", {});
    f.store.update([](Value& root) { root["remote-management"].set("allow-remote", true); });
    EXPECT_EQ(f.run("10.1.2.3", {{"Authorization", "pw"}}).first, Next::Continue);
}

TEST(ManagementGuard, DisabledWithoutAnySecret) {
    Fixture f(remote(true, ""));
    auto [next, res] = f.run("127.0.0.1", {{"Authorization", "pw"}});
    EXPECT_EQ(next, Next::Stop);
    EXPECT_EQ(res.status(), 404);
    EXPECT_EQ(res.body(), "404 page not found");
    EXPECT_FALSE(res.header("X-CPA-VERSION").has_value());
}

TEST(ManagementGuard, SwitchedOffByAReloadAnswersEmpty404) {
    Fixture f(remote(false, "$2a$pw"));
    EXPECT_EQ(f.run("127.0.0.1", {{"Authorization", "pw"}}).first, Next::Continue);
    f.store.update([](Value& root) { root["remote-management"].set("secret-key", ""); });
    auto [next, res] = f.run("127.0.0.1", {{"Authorization", "pw"}});
    EXPECT_EQ(res.status(), 404);
    EXPECT_EQ(res.body(), "");
}

TEST(ManagementGuard, MissingAndInvalidKeysCountTowardsTheBan) {
    Fixture f(remote(false, "$2a$pw"));
    EXPECT_EQ(error(f.run("127.0.0.1", {}).second), "missing management key");
    EXPECT_EQ(f.run("127.0.0.1", {}).second.status(), 401);
    EXPECT_EQ(error(f.run("127.0.0.1", {{"Authorization", "Bearer x"}}).second), "invalid management key");
    f.run("127.0.0.1", {{"Authorization", "Bearer y"}});
    f.run("127.0.0.1", {{"Authorization", "Bearer z"}});
    auto [next, res] = f.run("127.0.0.1", {{"Authorization", "Bearer pw"}});
    EXPECT_EQ(res.status(), 403);
    EXPECT_EQ(error(res), "IP banned due to too many failed attempts. Try again in 30m0s");
    EXPECT_TRUE(res.header("X-CPA-VERSION").has_value());
    EXPECT_EQ(f.run("::1", {{"Authorization", "Bearer pw"}}).first, Next::Continue) << "bans are per address";
}

TEST(ManagementGuard, EnvironmentSecretForcesRemoteAndNeedsNoConfigSecret) {
    ManagementSecrets s;
    s.envSecret = "envpw";
    Fixture f(remote(false, ""), s);
    EXPECT_EQ(f.run("203.0.113.9", {{"Authorization", "Bearer envpw"}}).first, Next::Continue);
    EXPECT_EQ(error(f.run("203.0.113.9", {{"Authorization", "Bearer nope"}}).second), "invalid management key");
    EXPECT_EQ(f.bcryptCalls, 0) << "no config secret: nothing to bcrypt";
}

TEST(ManagementGuard, LocalPasswordOnlyFromLocalClients) {
    ManagementSecrets s;
    s.localPassword = "localpw";
    Fixture f(remote(true, ""), s);
    EXPECT_EQ(f.run("127.0.0.1", {{"Authorization", "Bearer localpw"}}).first, Next::Continue);
    auto [next, res] = f.run("198.51.100.1", {{"Authorization", "Bearer localpw"}});
    EXPECT_EQ(res.status(), 403);
    EXPECT_EQ(error(res), "remote management key not set");
}

TEST(ManagementGuard, KeyExtractionRules) {
    auto key = [](std::vector<std::pair<std::string, std::string>> headers) {
        st::FakeRequest req;
        for (auto& [k, v] : headers) req.addHeader(k, v);
        return ManagementGuard::presentedKey(req);
    };
    EXPECT_EQ(key({{"Authorization", "Bearer abc"}}), "abc");
    EXPECT_EQ(key({{"Authorization", "BEARER abc"}}), "abc");
    EXPECT_EQ(key({{"Authorization", "Bearer  abc"}}), " abc");
    EXPECT_EQ(key({{"Authorization", "abc"}}), "abc");
    EXPECT_EQ(key({{"Authorization", "Basic xyz"}}), "Basic xyz");
    EXPECT_EQ(key({{"Authorization", "Bearer"}}), "Bearer");
    EXPECT_EQ(key({{"X-Management-Key", "k"}}), "k");
    EXPECT_EQ(key({{"Authorization", "wrong"}, {"X-Management-Key", "k"}}), "wrong");
    EXPECT_EQ(key({}), "");
}

// 200 parallel wrong keys from one IP: the checks run one at a time and count
// before bcrypt, so exactly five bcrypt runs happen and the rest meet the ban.
TEST(ManagementGuard, ParallelWrongKeysCannotOutrunTheBan) {
    cpa::sdk::testing::InMemoryConfigStore store(Value::object({{"remote-management", remote(true, "$2a$pw")}}));
    std::atomic<int> calls{0};
    std::atomic<int> running{0};
    std::atomic<int> maxRunning{0};
    ManagementGuard guard(store, {}, cpa::sdk::BuildInfo{"1", "c", "d"},
                          [&](const std::string& plain, const std::string& hash) {
                              ++calls;
                              const int now = ++running;
                              int seen = maxRunning.load();
                              while (now > seen && !maxRunning.compare_exchange_weak(seen, now)) {
                              }
                              std::this_thread::sleep_for(std::chrono::milliseconds(2));  // bcrypt is slow
                              --running;
                              return hash == "$2a$" + plain;
                          });
    // One request through the guard: its status (200 when it may continue).
    auto check = [&guard](const std::string& ip, const std::string& key) {
        st::FakeRequest req;
        req.setClientIp(ip).setPeerAddress(ip);
        req.addHeader("Authorization", "Bearer " + key);
        st::FakeResponse res;
        if (guard.check(req, res) == Next::Continue) return std::make_pair(200, std::string());
        return std::make_pair(res.status(), error(res));
    };
    std::atomic<int> unauthorized{0};
    std::atomic<int> bannedCount{0};
    std::atomic<int> other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 200; ++i) {
        threads.emplace_back([&, i] {
            const auto [status, message] = check("203.0.113.5", "wrong-" + std::to_string(i));
            if (status == 401) {
                ++unauthorized;
            } else if (status == 403 && message.rfind("IP banned", 0) == 0) {
                ++bannedCount;
            } else {
                ++other;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(calls.load(), 5);
    EXPECT_EQ(maxRunning.load(), 1) << "one check per IP at a time";
    EXPECT_EQ(unauthorized.load(), 5);
    EXPECT_EQ(bannedCount.load(), 195);
    EXPECT_EQ(other.load(), 0);

    // Another IP with the right key: verified once, then cached.
    for (int i = 0; i < 3; ++i) EXPECT_EQ(check("203.0.113.6", "pw").first, 200);
    EXPECT_EQ(calls.load(), 6);
    // The banned IP stays banned even with the right key.
    EXPECT_EQ(check("203.0.113.5", "pw").first, 403);
}
