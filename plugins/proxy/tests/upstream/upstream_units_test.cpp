// Pure helpers of the upstream executor: URLs, proxy choice, Retry-After,
// generic error bodies, line splitting.
#include "upstream/error_body.hpp"
#include "upstream/proxy_choice.hpp"
#include "upstream/response_util.hpp"
#include "upstream/stream_framer.hpp"
#include "upstream/url.hpp"
#include "upstream_test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace cpa::proxy::upstream {
namespace {

TEST(UpstreamUnits, ParsesUrls) {
    auto u = parseUrl("HTTPS://user:p%40ss@[::1]:8443/a/b?x=1#frag");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->scheme, "https");
    EXPECT_EQ(u->host, "::1");
    EXPECT_EQ(u->port, 8443);
    EXPECT_EQ(u->target, "/a/b?x=1");
    EXPECT_EQ(u->user, "user");
    EXPECT_EQ(u->password, "p@ss");
    EXPECT_EQ(u->hostHeader(), "[::1]:8443");
    auto d = parseUrl("http://example.com?q");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->port, 80);
    EXPECT_EQ(d->target, "/?q");
    EXPECT_EQ(d->hostHeader(), "example.com");
    EXPECT_FALSE(parseUrl("example.com/x"));
    EXPECT_FALSE(parseUrl("http://host:99999/"));
    EXPECT_FALSE(parseUrl("http://:80/"));
}

TEST(UpstreamUnits, ProxyPrecedenceAndEnvironment) {
    testing::QuietLogger log;
    const Url target = *parseUrl("https://api.example.com/v1");
    EXPECT_EQ(chooseProxy("socks5://a:1", "http://b:2", target, true, log)->host, "a");
    EXPECT_EQ(chooseProxy("  ", "http://b:2", target, true, log)->host, "b");
    EXPECT_FALSE(chooseProxy("none", "http://b:2", target, true, log));
    ::setenv("HTTPS_PROXY", "http://envproxy:3128", 1);
    ::setenv("NO_PROXY", "internal.example,.corp", 1);
    EXPECT_EQ(chooseProxy("", "", target, true, log)->host, "envproxy");
    EXPECT_FALSE(chooseProxy("", "", target, false, log));  // Claude ignores the environment
    EXPECT_FALSE(chooseProxy("", "Direct", target, true, log));
    EXPECT_FALSE(chooseProxy("", "", *parseUrl("https://x.corp/"), true, log));
    EXPECT_FALSE(chooseProxy("", "", *parseUrl("https://internal.example/"), true, log));
    EXPECT_FALSE(chooseProxy("", "", *parseUrl("https://127.0.0.1:9/"), true, log));
    ::unsetenv("HTTPS_PROXY");
    ::unsetenv("NO_PROXY");
    EXPECT_FALSE(chooseProxy("", "", target, true, log));
}

TEST(UpstreamUnits, RetryAfter) {
    EXPECT_EQ(parseRetryAfter(" 30 ")->count(), 30);
    EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")->count(), 0);  // in the past
    EXPECT_FALSE(parseRetryAfter("soon"));
    EXPECT_FALSE(parseRetryAfter(""));
}

TEST(UpstreamUnits, GenericErrorBody) {
    EXPECT_EQ(genericErrorBody(400, " {\"a\":1} "), "{\"a\":1}");
    EXPECT_EQ(genericErrorBody(400, "bad"), R"({"error":{"message":"bad","type":"invalid_request_error"}})");
    EXPECT_EQ(genericErrorBody(403, "no"),
              R"({"error":{"message":"no","type":"permission_error","code":"insufficient_quota"}})");
    EXPECT_EQ(genericErrorBody(404, ""),
              R"({"error":{"message":"Not Found","type":"invalid_request_error","code":"model_not_found"}})");
    EXPECT_EQ(genericErrorBody(502, "x<y"),
              R"({"error":{"message":"x\u003cy","type":"server_error","code":"internal_server_error"}})");
}

TEST(UpstreamUnits, ResponsesTerminalErrorTakesCodeFromJson) {
    EXPECT_EQ(terminalErrorEvent(ClientFormat::Responses, false, 429,
                                 R"({"type":"error","code":"c1","message":"m1","sequence_number":4})"),
              "\nevent: error\ndata: {\"type\":\"error\",\"code\":\"c1\",\"message\":\"m1\",\"sequence_number\":4}\n\n");
    EXPECT_EQ(terminalErrorEvent(ClientFormat::Responses, false, 408, "late"),
              "\nevent: error\ndata: {\"type\":\"error\",\"code\":\"request_timeout\",\"message\":\"late\",\"sequence_number\":0}\n\n");
    EXPECT_EQ(terminalErrorEvent(ClientFormat::Gemini, true, 500, "{\"x\":1}"), "{\"x\":1}");
}

TEST(UpstreamUnits, LineSplitterHandlesCrLfAndLimit) {
    std::vector<std::string> lines;
    LineSplitter s(8);
    const auto on = [&](std::string_view l) { lines.emplace_back(l); };
    EXPECT_TRUE(s.feed("ab\r\ncd", on));
    EXPECT_TRUE(s.feed("e\n\nf", on));
    s.finish(on);
    EXPECT_EQ(lines, (std::vector<std::string>{"ab", "cde", "", "f"}));
    EXPECT_FALSE(s.feed("0123456789", on));
}

TEST(UpstreamUnits, DecompressFallsBackToInput) {
    EXPECT_EQ(decompressBody("plain", "gzip"), "plain");
    EXPECT_EQ(decompressBody("plain", ""), "plain");
}

}  // namespace
}  // namespace cpa::proxy::upstream
