// The six outcomes of GET /latest-version against a loopback release feed,
// and every proxy mode (explicit http/socks5, direct, environment).
#include "fake_release_server.hpp"
#include "latest_version.hpp"

#include <cpa/sdk/json.hpp>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>

namespace cpa::config {
namespace {

using test::FakeReleaseServer;

EnvLookup noEnv() {
    return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

EnvLookup envOf(std::map<std::string, std::string> vars) {
    return [vars](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

ReleaseOutcome fetch(const std::string& url, const std::string& proxy = "", EnvLookup env = noEnv(),
                     std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    return fetchLatestVersion(ReleaseQuery{url, proxy, timeout, std::move(env)});
}

std::string member(const ReleaseOutcome& o, const char* name) {
    const sdk::Value* v = o.body.find(name);
    return v && v->isString() ? v->asString() : "<absent>";
}

std::uint16_t closedPort() {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    const std::uint16_t port = s.address().port();
    s.close();
    return port;
}

TEST(LatestVersion, SuccessUsesTagNameAndSendsTheOriginalsHeaders) {
    FakeReleaseServer feed;
    feed.setReply({200, R"({"tag_name":"  v6.1.0 ","name":"ignored"})"});
    const auto o = fetch(feed.baseUrl() + "/repos/x/releases/latest");
    EXPECT_EQ(o.status, 200);
    EXPECT_EQ(sdk::toJson(o.body), R"({"latest-version":"v6.1.0"})");
    ASSERT_EQ(feed.requests().size(), 1u);
    const std::string head = feed.requests()[0];
    EXPECT_EQ(head.rfind("GET /repos/x/releases/latest HTTP/1.1\r\n", 0), 0u) << head;
    EXPECT_NE(head.find("Accept: application/vnd.github+json"), std::string::npos) << head;
    EXPECT_NE(head.find("User-Agent: CLIProxyAPI"), std::string::npos) << head;
}

TEST(LatestVersion, FallsBackToNameWhenTagIsBlank) {
    FakeReleaseServer feed;
    feed.setReply({200, R"({"tag_name":"   ","name":" Release 7 "} trailing garbage)"});
    const auto o = fetch(feed.baseUrl() + "/");
    EXPECT_EQ(o.status, 200);
    EXPECT_EQ(member(o, "latest-version"), "Release 7");
}

TEST(LatestVersion, UnexpectedStatusQuotesTheTrimmedStartOfTheBody) {
    FakeReleaseServer feed;
    feed.setReply({404, "  {\"message\":\"Not Found\"}\n"});
    const auto o = fetch(feed.baseUrl() + "/");
    EXPECT_EQ(o.status, 502);
    EXPECT_EQ(member(o, "error"), "unexpected_status");
    EXPECT_EQ(member(o, "message"), "status 404: {\"message\":\"Not Found\"}");

    feed.setReply({503, std::string(5000, 'x')});
    const auto big = fetch(feed.baseUrl() + "/");
    EXPECT_EQ(member(big, "message"), "status 503: " + std::string(1024, 'x'));
}

TEST(LatestVersion, UndecodableBodyIsDecodeFailed) {
    FakeReleaseServer feed;
    for (const std::string body : {"not json", "", "[1,2]", R"({"tag_name":5})"}) {
        feed.setReply({200, body});
        const auto o = fetch(feed.baseUrl() + "/");
        EXPECT_EQ(o.status, 502) << body;
        EXPECT_EQ(member(o, "error"), "decode_failed") << body;
        EXPECT_NE(member(o, "message"), "") << body;
    }
    feed.setReply({200, ""});
    EXPECT_EQ(member(fetch(feed.baseUrl() + "/"), "message"), "EOF");
}

TEST(LatestVersion, MissingVersionIsInvalidResponse) {
    FakeReleaseServer feed;
    for (const std::string body : {R"({"tag_name":" ","name":""})", "{}", "null", R"({"tag_name":null})"}) {
        feed.setReply({200, body});
        const auto o = fetch(feed.baseUrl() + "/");
        EXPECT_EQ(o.status, 502) << body;
        EXPECT_EQ(sdk::toJson(o.body), R"({"error":"invalid_response","message":"missing release version"})") << body;
    }
}

TEST(LatestVersion, ConnectionRefusedIsRequestFailed) {
    const std::string url = "http://127.0.0.1:" + std::to_string(closedPort()) + "/feed";
    const auto o = fetch(url);
    EXPECT_EQ(o.status, 502);
    EXPECT_EQ(member(o, "error"), "request_failed");
    EXPECT_EQ(member(o, "message").rfind("Get \"" + url + "\": ", 0), 0u) << member(o, "message");
}

TEST(LatestVersion, ASilentFeedTimesOutWithinTheLimit) {
    FakeReleaseServer feed(FakeReleaseServer::Mode::Silent);
    const auto start = std::chrono::steady_clock::now();
    const auto o = fetch(feed.baseUrl() + "/", "", noEnv(), std::chrono::milliseconds(300));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(o.status, 502);
    EXPECT_EQ(member(o, "error"), "request_failed");
    EXPECT_NE(member(o, "message").find("Client.Timeout exceeded"), std::string::npos) << member(o, "message");
    EXPECT_GE(elapsed, std::chrono::milliseconds(250));
    EXPECT_LT(elapsed, std::chrono::milliseconds(2000));
}

TEST(LatestVersion, AnUnparsableUrlIsRequestCreateFailed) {
    const auto o = fetch("http://127.0.0.1:99999/feed");
    EXPECT_EQ(o.status, 500);
    EXPECT_EQ(member(o, "error"), "request_create_failed");
}

TEST(LatestVersion, AnUnsupportedSchemeIsRequestFailed) {
    const auto o = fetch("ftp://127.0.0.1/feed");
    EXPECT_EQ(o.status, 502);
    EXPECT_EQ(member(o, "error"), "request_failed");
    EXPECT_NE(member(o, "message").find("unsupported protocol scheme \"ftp\""), std::string::npos);
}

TEST(LatestVersion, HttpProxyReceivesTheAbsoluteUri) {
    FakeReleaseServer proxy;
    proxy.setReply({200, R"({"tag_name":"v-proxied"})"});
    const auto o = fetch("http://release.invalid/repos/latest", proxy.baseUrl());
    EXPECT_EQ(o.status, 200) << sdk::toJson(o.body);
    EXPECT_EQ(member(o, "latest-version"), "v-proxied");
    ASSERT_EQ(proxy.requests().size(), 1u);
    EXPECT_EQ(proxy.requests()[0].rfind("GET http://release.invalid/repos/latest HTTP/1.1\r\n", 0), 0u)
        << proxy.requests()[0];
    EXPECT_EQ(proxy.requests()[0].find("Proxy-Authorization"), std::string::npos);
}

TEST(LatestVersion, HttpProxyCredentialsAndHttpsTunnels) {
    FakeReleaseServer proxy;
    proxy.setReply({200, R"({"tag_name":"v1"})"});
    const std::string withUser = "http://bob:p%40ss@127.0.0.1:" + std::to_string(proxy.port());
    EXPECT_EQ(fetch("http://release.invalid:8080/x", withUser).status, 200);
    ASSERT_EQ(proxy.requests().size(), 1u);
    EXPECT_EQ(proxy.requests()[0].rfind("GET http://release.invalid:8080/x HTTP/1.1\r\n", 0), 0u);
    EXPECT_NE(proxy.requests()[0].find("Proxy-Authorization: Basic Ym9iOnBAc3M="), std::string::npos)
        << proxy.requests()[0];

    // https targets go through CONNECT; a refusal is a transport error.
    proxy.setReply({403, "no"});
    const auto o = fetch("https://release.invalid/feed", proxy.baseUrl());
    EXPECT_EQ(member(o, "error"), "request_failed");
    EXPECT_NE(member(o, "message").find("CONNECT with 403"), std::string::npos) << member(o, "message");
    ASSERT_EQ(proxy.requests().size(), 2u);
    EXPECT_EQ(proxy.requests()[1].rfind("CONNECT release.invalid:443 HTTP/1.1\r\n", 0), 0u) << proxy.requests()[1];
    EXPECT_EQ(proxy.requests()[1].find("Proxy-Authorization"), std::string::npos);
}

TEST(LatestVersion, Socks5ProxyGetsTheUnresolvedTargetAndCredentials) {
    FakeReleaseServer socks(FakeReleaseServer::Mode::Socks5);
    socks.setReply({200, R"({"tag_name":"v-socks"})"});
    const std::string proxyUrl = "socks5://alice:s3cret@127.0.0.1:" + std::to_string(socks.port());
    const auto o = fetch("http://release.invalid:8080/feed", proxyUrl);
    EXPECT_EQ(o.status, 200) << sdk::toJson(o.body);
    EXPECT_EQ(member(o, "latest-version"), "v-socks");
    ASSERT_EQ(socks.socksTargets().size(), 1u);
    EXPECT_EQ(socks.socksTargets()[0], "release.invalid:8080");
    ASSERT_EQ(socks.socksCredentials().size(), 1u);
    EXPECT_EQ(socks.socksCredentials()[0], "alice:s3cret");
    ASSERT_EQ(socks.requests().size(), 1u);
    EXPECT_NE(socks.requests()[0].find("Host: release.invalid:8080"), std::string::npos);
}

TEST(LatestVersion, DirectIgnoresEnvironmentProxies) {
    FakeReleaseServer feed;
    const std::string deadProxy = "http://127.0.0.1:" + std::to_string(closedPort());
    const auto env = envOf({{"HTTP_PROXY", deadProxy}});
    // A non-loopback name would not resolve here; direct use is proven by
    // reaching the feed while the environment names a dead proxy.
    for (const char* setting : {"direct", " NONE "}) {
        const auto o = fetch(feed.baseUrl() + "/", setting, env);
        EXPECT_EQ(o.status, 200) << setting << " " << sdk::toJson(o.body);
    }
}

TEST(LatestVersion, EmptyProxyUrlUsesTheEnvironmentExceptForLoopbackAndNoProxy) {
    FakeReleaseServer proxy;
    proxy.setReply({200, R"({"tag_name":"v-env"})"});
    const auto env = envOf({{"http_proxy", proxy.baseUrl()}, {"NO_PROXY", "skip.invalid"}});
    const auto viaEnv = fetch("http://release.invalid/x", "", env);
    EXPECT_EQ(member(viaEnv, "latest-version"), "v-env");
    ASSERT_EQ(proxy.requests().size(), 1u);

    // NO_PROXY: tried directly (and fails to resolve), the proxy sees nothing.
    const auto skipped = fetch("http://skip.invalid/x", "", env);
    EXPECT_EQ(member(skipped, "error"), "request_failed");
    EXPECT_EQ(proxy.requests().size(), 1u);

    // Loopback targets are never sent to an environment proxy.
    FakeReleaseServer feed;
    feed.setReply({200, R"({"tag_name":"v-direct"})"});
    EXPECT_EQ(member(fetch(feed.baseUrl() + "/", "", env), "latest-version"), "v-direct");
    EXPECT_EQ(proxy.requests().size(), 1u);
}

TEST(LatestVersion, AnInvalidProxyUrlIsIgnoredLikeTheOriginal) {
    FakeReleaseServer feed;
    feed.setReply({200, R"({"tag_name":"v-ok"})"});
    EXPECT_EQ(member(fetch(feed.baseUrl() + "/", "ftp://proxy.invalid:21"), "latest-version"), "v-ok");
}

TEST(LatestVersion, HttpsProxiesAreReportedAsUnsupported) {
    const auto o = fetch("http://release.invalid/", "https://127.0.0.1:3128");
    EXPECT_EQ(member(o, "error"), "request_failed");
    EXPECT_NE(member(o, "message").find("not supported"), std::string::npos);
}

}  // namespace
}  // namespace cpa::config
