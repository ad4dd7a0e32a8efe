// GET /latest-version through the real server against a loopback release
// feed configured with latest-version-url: the six outcomes and proxy-url.
#include "config_integration_support.hpp"
#include "fake_release_server.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <gtest/gtest.h>

namespace cpa::config::itest {
namespace {

using cpa::config::test::FakeReleaseServer;

std::uint16_t closedPort() {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    const std::uint16_t port = s.address().port();
    s.close();
    return port;
}

class LatestVersionIntegration : public ::testing::Test {
protected:
    FakeReleaseServer feed;
    ConfigServer server{baseConfig("latest-version-url: \"" + feed.baseUrl() + "/repos/x/releases/latest\"\n")};

    cpa::test::HttpResponse latest() { return server.mgmt("GET", "/latest-version"); }
    void setUrl(const std::string& url, const std::string& extra = "") {
        ASSERT_EQ(server.mgmt("PUT", "/config.yaml", server.documentWith("latest-version-url: \"" + url + "\"\n" + extra))
                      .status,
                  200);
    }
};

TEST_F(LatestVersionIntegration, Success) {
    feed.setReply({200, R"({"tag_name":"v6.0.1","name":"x"})"});
    const auto r = latest();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"latest-version":"v6.0.1"})");
    ASSERT_EQ(feed.requests().size(), 1u);
    EXPECT_EQ(feed.requests()[0].rfind("GET /repos/x/releases/latest HTTP/1.1", 0), 0u);
    EXPECT_NE(feed.requests()[0].find("User-Agent: CLIProxyAPI"), std::string::npos);
}

TEST_F(LatestVersionIntegration, UnexpectedStatus) {
    feed.setReply({403, " rate limited \n"});
    const auto r = latest();
    EXPECT_EQ(r.status, 502);
    EXPECT_EQ(r.body, R"({"error":"unexpected_status","message":"status 403: rate limited"})");
}

TEST_F(LatestVersionIntegration, DecodeFailed) {
    feed.setReply({200, "<html>"});
    const auto r = latest();
    EXPECT_EQ(r.status, 502);
    EXPECT_NE(r.body.find(R"("error":"decode_failed")"), std::string::npos) << r.body;
}

TEST_F(LatestVersionIntegration, InvalidResponse) {
    feed.setReply({200, R"({"tag_name":"","name":"  "})"});
    const auto r = latest();
    EXPECT_EQ(r.status, 502);
    EXPECT_EQ(r.body, R"({"error":"invalid_response","message":"missing release version"})");
}

TEST_F(LatestVersionIntegration, RequestFailed) {
    setUrl("http://127.0.0.1:" + std::to_string(closedPort()) + "/feed");
    const auto r = latest();
    EXPECT_EQ(r.status, 502);
    EXPECT_NE(r.body.find(R"("error":"request_failed")"), std::string::npos) << r.body;
}

TEST_F(LatestVersionIntegration, RequestCreateFailed) {
    setUrl("http://127.0.0.1:99999/feed");
    const auto r = latest();
    EXPECT_EQ(r.status, 500);
    EXPECT_NE(r.body.find(R"("error":"request_create_failed")"), std::string::npos) << r.body;
}

TEST_F(LatestVersionIntegration, ProxyUrlIsHonoured) {
    FakeReleaseServer proxy;
    proxy.setReply({200, R"({"tag_name":"via-proxy"})"});
    setUrl("http://release.invalid/feed", "proxy-url: \"" + proxy.baseUrl() + "\"\n");
    EXPECT_EQ(latest().body, R"({"latest-version":"via-proxy"})");
    ASSERT_EQ(proxy.requests().size(), 1u);
    EXPECT_EQ(proxy.requests()[0].rfind("GET http://release.invalid/feed HTTP/1.1", 0), 0u);

    FakeReleaseServer socks(FakeReleaseServer::Mode::Socks5);
    socks.setReply({200, R"({"tag_name":"via-socks"})"});
    ASSERT_EQ(server.mgmt("PUT", "/proxy-url", "{\"value\":\"socks5h://127.0.0.1:" + std::to_string(socks.port()) + "\"}")
                  .status,
              200);
    EXPECT_EQ(latest().body, R"({"latest-version":"via-socks"})");
    ASSERT_EQ(socks.socksTargets().size(), 1u);
    EXPECT_EQ(socks.socksTargets()[0], "release.invalid:80");
    EXPECT_TRUE(feed.requests().empty());
}

TEST_F(LatestVersionIntegration, TimesOutAfterTenSeconds) {
    FakeReleaseServer silent(FakeReleaseServer::Mode::Silent);
    setUrl(silent.baseUrl() + "/feed");
    const auto start = std::chrono::steady_clock::now();
    cpa::test::HttpClient slow("127.0.0.1", server.port(), cpa::test::HttpClientOptions{true, "", std::chrono::milliseconds(30000)});
    const auto r = slow.request("GET", "/v0/management/latest-version", {{"Authorization", std::string("Bearer ") + kKey}});
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(r.status, 502);
    EXPECT_NE(r.body.find("Client.Timeout exceeded (10s)"), std::string::npos) << r.body;
    EXPECT_GE(elapsed, std::chrono::seconds(9));
    EXPECT_LT(elapsed, std::chrono::seconds(13));
}

}  // namespace
}  // namespace cpa::config::itest
