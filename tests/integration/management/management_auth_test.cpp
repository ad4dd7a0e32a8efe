// The management auth matrix of management-api-core.md §1.3 and §2 with D1,
// against the real cpa-server process.
#include "integration_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <atomic>
#include <vector>

using namespace cpa::test;

namespace {

const char* kPath = "/v0/management/quota-exceeded/switch-project";

std::string configWith(const std::string& remoteBlock, const std::string& extra = "") {
    return "host: \"127.0.0.1\"\nport: 0\nmodules: [quota]\n" + remoteBlock + extra;
}

ServerProcessOptions serverWith(const std::string& configText) {
    ServerProcessOptions o;
    o.configText = configText;
    o.modulesDir = kModulesDir;
    return o;
}

std::string errorOf(const HttpResponse& r) {
    return jsonObject(r.body)->getValue<std::string>("error");
}

void expectBuildHeaders(const HttpResponse& r) {
    EXPECT_TRUE(r.header("X-CPA-VERSION").has_value());
    EXPECT_TRUE(r.header("X-CPA-COMMIT").has_value());
    EXPECT_TRUE(r.header("X-CPA-BUILD-DATE").has_value());
}

const std::string kSecretBlock = "remote-management:\n  allow-remote: false\n  secret-key: \"s3cret-key\"\n";

}  // namespace

TEST(ManagementAuth, KeyPresentationMatrix) {
    ServerProcess server(serverWith(configWith(kSecretBlock)));
    HttpClient c("127.0.0.1", server.port());

    auto none = c.get(kPath);
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(errorOf(none), "missing management key");
    expectBuildHeaders(none);

    auto wrong = c.get(kPath, {{"Authorization", "Bearer nope"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(errorOf(wrong), "invalid management key");
    expectBuildHeaders(wrong);

    auto bearer = c.get(kPath, {{"Authorization", "Bearer s3cret-key"}});
    EXPECT_EQ(bearer.status, 200) << bearer.body;
    EXPECT_EQ(bearer.body, R"({"switch-project":false})");
    expectBuildHeaders(bearer);

    auto lower = c.get(kPath, {{"Authorization", "bearer s3cret-key"}});
    EXPECT_EQ(lower.status, 200);
    auto raw = c.get(kPath, {{"Authorization", "s3cret-key"}});
    EXPECT_EQ(raw.status, 200);
    auto header = c.get(kPath, {{"X-Management-Key", "s3cret-key"}});
    EXPECT_EQ(header.status, 200);

    // The key after "Bearer " is taken as received: an extra space is part of it.
    auto spaced = c.get(kPath, {{"Authorization", "Bearer  s3cret-key"}});
    EXPECT_EQ(spaced.status, 401);
    // A wrong Authorization hides a correct X-Management-Key.
    auto hidden = c.get(kPath, {{"Authorization", "Bearer nope"}, {"X-Management-Key", "s3cret-key"}});
    EXPECT_EQ(hidden.status, 401);
    // Success resets the failure count, so the three failures above don't add up to a ban.
    EXPECT_EQ(c.get(kPath, {{"X-Management-Key", "s3cret-key"}}).status, 200);
}

TEST(ManagementAuth, PlaintextSecretIsHashedOnDisk) {
    ServerProcess server(serverWith(configWith(kSecretBlock)));
    const std::string text = readFile(server.configPath());
    EXPECT_EQ(text.find("s3cret-key"), std::string::npos) << text;
    EXPECT_NE(text.find("$2"), std::string::npos) << text;
    EXPECT_NE(text.find("allow-remote: false"), std::string::npos) << "the rest of the block stays";
    for (const auto& entry : std::filesystem::recursive_directory_iterator(server.dir())) {
        if (!entry.is_regular_file()) continue;
        EXPECT_EQ(readFile(entry.path()).find("s3cret-key"), std::string::npos) << entry.path();
    }
    // The hashed key still authenticates the plaintext.
    EXPECT_EQ(httpRequest(server.port(), "GET", kPath, {{"Authorization", "Bearer s3cret-key"}}).status, 200);
}

TEST(ManagementAuth, NoSecretMeansNoManagementApi) {
    ServerProcess server(serverWith(configWith("remote-management:\n  secret-key: \"\"\n")));
    auto r = httpRequest(server.port(), "GET", kPath, {{"Authorization", "Bearer anything"}});
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, "404 page not found");
    EXPECT_FALSE(r.header("X-CPA-VERSION").has_value());
}

TEST(ManagementAuth, EnvironmentPasswordWorksFromAnywhere) {
    ServerProcessOptions o = serverWith("host: \"\"\nport: 0\nmodules: [quota]\n");
    o.env["MANAGEMENT_PASSWORD"] = "  env-pass  ";
    ServerProcess server(o);
    EXPECT_EQ(httpRequest(server.port(), "GET", kPath, {{"Authorization", "Bearer env-pass"}}).status, 200);
    HttpClientOptions remote;
    remote.localAddress = "127.0.0.2";
    HttpClient c("127.0.0.1", server.port(), remote);
    EXPECT_EQ(c.get(kPath, {{"Authorization", "Bearer env-pass"}}).status, 200)
        << "MANAGEMENT_PASSWORD forces remote access on";
    auto wrong = c.get(kPath, {{"Authorization", "Bearer other"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(errorOf(wrong), "invalid management key");
}

TEST(ManagementAuth, RemoteClientsAndForwardedHeaders) {
    // Server on all interfaces, client bound to 127.0.0.2: a remote client.
    ServerProcess server(serverWith("host: \"\"\nport: 0\nmodules: [quota]\n" + kSecretBlock));
    HttpClientOptions remote;
    remote.localAddress = "127.0.0.2";
    HttpClient c("127.0.0.1", server.port(), remote);

    auto denied = c.get(kPath, {{"Authorization", "Bearer s3cret-key"}});
    EXPECT_EQ(denied.status, 403);
    EXPECT_EQ(errorOf(denied), "remote management disabled");
    // D1: a spoofed forwarding header from an untrusted peer changes nothing.
    auto spoofed = c.get(kPath, {{"Authorization", "Bearer s3cret-key"}, {"X-Forwarded-For", "127.0.0.1"}});
    EXPECT_EQ(spoofed.status, 403);
    auto spoofed2 = c.get(kPath, {{"Authorization", "Bearer s3cret-key"}, {"X-Real-IP", "127.0.0.1"}});
    EXPECT_EQ(spoofed2.status, 403);
    // Remote rejections are not counted as failures: still not banned.
    EXPECT_EQ(httpRequest(server.port(), "GET", kPath, {{"Authorization", "Bearer s3cret-key"}}).status, 200);
}

TEST(ManagementAuth, AllowRemoteLetsRemoteClientsIn) {
    ServerProcess server(serverWith(
        "host: \"\"\nport: 0\nmodules: [quota]\nremote-management:\n  allow-remote: true\n  secret-key: \"s3cret-key\"\n"));
    HttpClientOptions remote;
    remote.localAddress = "127.0.0.2";
    HttpClient c("127.0.0.1", server.port(), remote);
    EXPECT_EQ(c.get(kPath, {{"Authorization", "Bearer s3cret-key"}}).status, 200);
    auto wrong = c.get(kPath, {{"Authorization", "Bearer nope"}});
    EXPECT_EQ(wrong.status, 401);
}

TEST(ManagementAuth, TrustedProxyForwardingIsHonoured) {
    ServerProcess server(serverWith("host: \"\"\nport: 0\nmodules: [quota]\ntrusted-proxies: [\"127.0.0.2\"]\n" +
                                    kSecretBlock));
    HttpClientOptions proxy;
    proxy.localAddress = "127.0.0.2";
    HttpClient c("127.0.0.1", server.port(), proxy);
    // The trusted proxy says the client is local: allowed although allow-remote is false.
    EXPECT_EQ(c.get(kPath, {{"Authorization", "Bearer s3cret-key"}, {"X-Forwarded-For", "127.0.0.1"}}).status, 200);
    // Without the header the proxy itself is the (remote) client.
    EXPECT_EQ(c.get(kPath, {{"Authorization", "Bearer s3cret-key"}}).status, 403);
}

// Spoofed left-hand entries of forwarding headers, as a remote client writes
// them in front of what the trusted proxy appends (its real address 1.2.3.4).
const std::vector<HeaderList> kSpoofedThroughProxy = {
    {{"X-Forwarded-For", "1.2.3.4"}},
    {{"X-Forwarded-For", "127.0.0.1, 1.2.3.4"}},
    {{"X-Forwarded-For", "::1, 1.2.3.4"}},
    {{"X-Forwarded-For", "garbage, 1.2.3.4"}},
    {{"X-Forwarded-For", ", 1.2.3.4"}},
    {{"X-Forwarded-For", "127.0.0.1:80, 1.2.3.4"}},
    {{"X-Forwarded-For", "127.0.0.1"}, {"X-Forwarded-For", "1.2.3.4"}},  // the proxy's own header line
    {{"Forwarded", "for=127.0.0.1, for=1.2.3.4"}},
    {{"Forwarded", "for=\"[::1]:80\", for=1.2.3.4"}},
    {{"X-Real-IP", "127.0.0.1, 1.2.3.4"}},
    {{"X-Forwarded-For", "127.0.0.1, 1.2.3.4"}, {"X-Real-IP", "127.0.0.1"}},
};

HeaderList withKey(HeaderList headers, const std::string& key) {
    headers.emplace_back("Authorization", "Bearer " + key);
    return headers;
}

TEST(ManagementAuth, SpoofedForwardingThroughATrustedProxyStaysRemote) {
    ServerProcess server(serverWith(configWith(kSecretBlock, "trusted-proxies: [\"127.0.0.1\"]\n")));
    HttpClient proxy("127.0.0.1", server.port());  // the trusted proxy itself
    for (const HeaderList& spoof : kSpoofedThroughProxy) {
        const HttpResponse r = proxy.get(kPath, withKey(spoof, "s3cret-key"));
        EXPECT_EQ(r.status, 403) << spoof.front().first << ": " << spoof.front().second;
        EXPECT_EQ(errorOf(r), "remote management disabled") << spoof.front().second;
    }
    // Unparsable forwarding never counts as local.
    for (const char* junk : {"garbage", "1.2.3.4, garbage", "unknown"}) {
        EXPECT_EQ(proxy.get(kPath, withKey({{"X-Forwarded-For", junk}}, "s3cret-key")).status, 403) << junk;
    }
    // A local client behind the local proxy is still local.
    EXPECT_EQ(proxy.get(kPath, withKey({{"X-Forwarded-For", "127.0.0.1"}}, "s3cret-key")).status, 200);
    EXPECT_EQ(proxy.get(kPath, withKey({{"Forwarded", "for=127.0.0.1;proto=http"}}, "s3cret-key")).status, 200);
}

TEST(ManagementAuth, ABannedClientBehindATrustedProxyCannotEscape) {
    ServerProcess server(serverWith(
        configWith("remote-management:\n  allow-remote: true\n  secret-key: \"s3cret-key\"\n",
                   "trusted-proxies: [\"127.0.0.1\"]\n")));
    HttpClient proxy("127.0.0.1", server.port());
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(proxy.get(kPath, withKey({{"X-Forwarded-For", "1.2.3.4"}}, "wrong")).status, 401);
    }
    for (const HeaderList& spoof : kSpoofedThroughProxy) {
        const HttpResponse r = proxy.get(kPath, withKey(spoof, "s3cret-key"));
        EXPECT_EQ(r.status, 403) << spoof.front().second;
        EXPECT_EQ(errorOf(r).rfind("IP banned", 0), 0u) << spoof.front().second << ": " << r.body;
    }
    // Another client behind the same proxy is not banned.
    EXPECT_EQ(proxy.get(kPath, withKey({{"X-Forwarded-For", "5.6.7.8"}}, "s3cret-key")).status, 200);
}

// 200 simultaneous wrong keys from one address: the ban lands after five
// bcrypt checks, whatever the interleaving. The server logs each bcrypt run
// at debug level; the log (stdout without the logs module) is counted after
// the server has exited, so every line is written.
TEST(ManagementAuth, ParallelWrongKeysCostAtMostFiveBcryptChecks) {
    ServerProcess server(serverWith(configWith(
        "remote-management:\n  allow-remote: true\n  secret-key: \"s3cret-key\"\n", "debug: true\n")));
    std::atomic<int> unauthorized{0}, banned{0}, other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 200; ++i) {
        threads.emplace_back([&, i] {
            try {
                const HttpResponse r =
                    httpRequest(server.port(), "GET", kPath, {{"Authorization", "Bearer wrong-" + std::to_string(i)}});
                if (r.status == 401) {
                    ++unauthorized;
                } else if (r.status == 403 && errorOf(r).rfind("IP banned", 0) == 0) {
                    ++banned;
                } else {
                    ++other;
                }
            } catch (...) {
                ++other;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_LE(unauthorized.load(), 5);
    EXPECT_EQ(unauthorized.load() + banned.load(), 200);
    EXPECT_EQ(other.load(), 0);
    // The right key from another (non-banned) address works, verified once.
    HttpClientOptions o;
    o.localAddress = "127.0.0.3";
    HttpClient c3("127.0.0.1", server.port(), o);
    EXPECT_EQ(c3.get(kPath, {{"Authorization", "Bearer s3cret-key"}}).status, 200);
    EXPECT_EQ(c3.get(kPath, {{"Authorization", "Bearer s3cret-key"}}).status, 200);
    // The flooding address stays banned, right key or not.
    EXPECT_EQ(httpRequest(server.port(), "GET", kPath, {{"Authorization", "Bearer s3cret-key"}}).status, 403);
    server.sigterm();
    ASSERT_TRUE(server.waitExit(std::chrono::seconds(20)).has_value());
    const std::size_t checks = countOccurrences(server.stdoutText() + server.stderrText(), "management key: bcrypt verification");
    EXPECT_GE(checks, 1u);
    EXPECT_LE(checks, 6u) << "at most five for the flood, one for the right key";
    EXPECT_EQ(checks, static_cast<std::size_t>(unauthorized.load()) + 1);
}

TEST(ManagementAuth, FiveFailuresBanTheAddressEvenWithTheRightKey) {
    ServerProcess server(serverWith(configWith(kSecretBlock)));
    HttpClient c("127.0.0.1", server.port());
    for (int i = 0; i < 4; ++i) EXPECT_EQ(c.get(kPath, {{"Authorization", "Bearer wrong"}}).status, 401);
    auto fifth = c.get(kPath);  // a missing key counts too
    EXPECT_EQ(fifth.status, 401);
    EXPECT_EQ(errorOf(fifth), "missing management key");

    auto banned = c.get(kPath, {{"Authorization", "Bearer s3cret-key"}});
    EXPECT_EQ(banned.status, 403);
    const std::string message = errorOf(banned);
    EXPECT_EQ(message.rfind("IP banned due to too many failed attempts. Try again in ", 0), 0u) << message;
    const std::string remaining = message.substr(std::string("IP banned due to too many failed attempts. Try again in ").size());
    EXPECT_TRUE(remaining == "30m0s" || remaining == "29m59s" || remaining == "29m58s") << remaining;
    expectBuildHeaders(banned);
    // Other addresses are not affected (a local IPv4 client on another loopback address is remote,
    // so use the same server with allow-remote false: it gets the remote-disabled answer, not the ban).
    HttpClientOptions other;
    other.localAddress = "127.0.0.3";
    HttpClient c3("127.0.0.1", server.port(), other);
    EXPECT_EQ(errorOf(c3.get(kPath, {{"Authorization", "Bearer s3cret-key"}})), "remote management disabled");
}

TEST(ManagementAuth, PreflightAndUnknownPathsNeedNoKeyAndCountNoFailure) {
    ServerProcess server(serverWith(configWith(kSecretBlock)));
    HttpClient c("127.0.0.1", server.port());
    for (int i = 0; i < 10; ++i) {
        auto pre = c.request("OPTIONS", kPath);
        EXPECT_EQ(pre.status, 204);
        EXPECT_FALSE(pre.header("X-CPA-VERSION").has_value());
        auto unknown = c.get("/v0/management/no-such-endpoint");
        EXPECT_EQ(unknown.status, 404);
        EXPECT_EQ(unknown.body, "404 page not found");
        EXPECT_FALSE(unknown.header("X-CPA-VERSION").has_value());
    }
    EXPECT_EQ(c.get(kPath, {{"Authorization", "Bearer s3cret-key"}}).status, 200);
}
