// data-plane.md §7.1 proxies (HTTP forwarding for http targets, SOCKS5, precedence,
// direct/none; CONNECT for https targets is in tls_test.cpp) and
// keep-alive connection reuse.
#include "forward_proxy.hpp"
#include "loopback_proxy.hpp"
#include "upstream_test_support.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace cpa::proxy::testing {
namespace {

using cpa::test::FakeUpstream;

struct UpstreamTransport : ::testing::Test {
    QuietLogger log;
    std::unique_ptr<Executor> exec = makeHttpExecutor(log);
    FakeUpstream up;
    RecordingSink sink;
};

TEST_F(UpstreamTransport, SequentialCallsReuseOneConnection) {
    LoopbackProxy relay(LoopbackProxy::Mode::Relay, up.port());  // counts TCP connections to the upstream
    auto cred = credential(sdk::wire::kOpenAIChat, "http://127.0.0.1:" + std::to_string(relay.port()));
    for (int i = 0; i < 5; ++i) {
        const auto res = exec->execute(request(ClientFormat::OpenAIChat, cred, "{}"), sink);
        ASSERT_TRUE(res.ok) << res.errorMessage;
    }
    up.enqueue(sseReply({"data: {}\n\n"}));  // a completed stream also returns its connection
    ASSERT_TRUE(exec->execute(request(ClientFormat::OpenAIChat, cred, "{}", true), sink).ok);
    ASSERT_TRUE(exec->execute(request(ClientFormat::OpenAIChat, cred, "{}"), sink).ok);
    EXPECT_EQ(up.requestCount(), 7u);
    EXPECT_EQ(relay.connections(), 1);
}

TEST_F(UpstreamTransport, ConcurrentCallsUseSeparateConnectionsThenPool) {
    LoopbackProxy relay(LoopbackProxy::Mode::Relay, up.port());
    auto cred = credential(sdk::wire::kOpenAIChat, "http://127.0.0.1:" + std::to_string(relay.port()));
    auto slow = jsonReply("{}");
    slow.firstByteDelay = std::chrono::milliseconds(150);
    up.enqueue(slow);
    up.enqueue(slow);
    std::thread t([&] {
        RecordingSink s;
        EXPECT_TRUE(exec->execute(request(ClientFormat::OpenAIChat, cred, "{}"), s).ok);
    });
    EXPECT_TRUE(exec->execute(request(ClientFormat::OpenAIChat, cred, "{}"), sink).ok);
    t.join();
    EXPECT_EQ(relay.connections(), 2);
    for (int i = 0; i < 4; ++i) EXPECT_TRUE(exec->execute(request(ClientFormat::OpenAIChat, cred, "{}"), sink).ok);
    EXPECT_EQ(relay.connections(), 2);
}

TEST_F(UpstreamTransport, ConnectionCloseIsNotReused) {
    LoopbackProxy relay(LoopbackProxy::Mode::Relay, up.port());
    auto cred = credential(sdk::wire::kOpenAIChat, "http://127.0.0.1:" + std::to_string(relay.port()));
    up.enqueue(jsonReply("{}", 200, {{"Connection", "close"}}));
    EXPECT_TRUE(exec->execute(request(ClientFormat::OpenAIChat, cred, "{}"), sink).ok);
    EXPECT_TRUE(exec->execute(request(ClientFormat::OpenAIChat, cred, "{}"), sink).ok);
    EXPECT_EQ(up.requestCount(), 2u);
    EXPECT_EQ(relay.connections(), 2);
}

TEST_F(UpstreamTransport, IdleConnectionClosedByPeerIsReplaced) {
    LoopbackProxy relay(LoopbackProxy::Mode::Relay, up.port());
    auto cred = credential(sdk::wire::kOpenAIChat, "http://127.0.0.1:" + std::to_string(relay.port()));
    EXPECT_TRUE(exec->execute(request(ClientFormat::OpenAIChat, cred, "{}"), sink).ok);
    relay.dropAll();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto res = exec->execute(request(ClientFormat::OpenAIChat, cred, "{}"), sink);
    EXPECT_TRUE(res.ok) << res.errorMessage;
    EXPECT_EQ(relay.connections(), 2);
    EXPECT_EQ(up.requestCount(), 2u);
}

TEST_F(UpstreamTransport, HttpProxyForwardsPlainHttpInAbsoluteForm) {
    ForwardProxy proxy;
    auto cred = credential(sdk::wire::kOpenAIChat, up.baseUrl());
    cred->proxyUrl = "http://alice:s%3Dcret@127.0.0.1:" + std::to_string(proxy.port());
    auto r = request(ClientFormat::OpenAIChat, cred, R"({"model":"m"})");
    r.globalProxyUrl = "socks5://127.0.0.1:1";  // the credential's proxy wins
    const auto res = exec->execute(r, sink);
    ASSERT_TRUE(res.ok) << res.errorMessage;
    ASSERT_EQ(proxy.seen().size(), 1u);
    const std::string authority = "127.0.0.1:" + std::to_string(up.port());
    EXPECT_EQ(proxy.seen()[0].uri, "http://" + authority + "/chat/completions");  // no CONNECT for http (Go)
    EXPECT_EQ(proxy.seen()[0].host, authority);
    EXPECT_EQ(proxy.seen()[0].auth, "Basic YWxpY2U6cz1jcmV0");  // alice:s=cret
    ASSERT_EQ(up.requestCount(), 1u);
    EXPECT_EQ(up.requests()[0].target, "/chat/completions");
    EXPECT_EQ(up.requests()[0].body, R"({"model":"up-model"})");
    for (const auto& [k, v] : res.log.requestHeaders) EXPECT_NE(k, "Proxy-Authorization");  // not logged
}

TEST_F(UpstreamTransport, HttpProxyConnectionIsSharedAcrossPlainHttpTargets) {
    ForwardProxy proxy;
    FakeUpstream other;
    const std::string proxyUrl = "http://127.0.0.1:" + std::to_string(proxy.port());
    for (const std::string& base : {up.baseUrl(), other.baseUrl(), up.baseUrl()}) {
        auto r = request(ClientFormat::OpenAIChat, credential(sdk::wire::kOpenAIChat, base), "{}");
        r.globalProxyUrl = proxyUrl;
        const auto res = exec->execute(r, sink);
        ASSERT_TRUE(res.ok) << res.errorMessage;
    }
    EXPECT_EQ(up.requestCount(), 2u);
    EXPECT_EQ(other.requestCount(), 1u);
    EXPECT_EQ(proxy.connections(), 1);  // keyed by the proxy alone, as Go's transport does
    for (const auto& s : proxy.seen()) EXPECT_TRUE(s.auth.empty());
}

TEST_F(UpstreamTransport, HttpProxyAbsoluteFormUsesTheConfiguredHost) {
    ForwardProxy proxy;
    auto cred = credential(sdk::wire::kOpenAIChat, up.baseUrl());
    cred->headers = {{"Host", "api.example.test"}};
    auto r = request(ClientFormat::OpenAIChat, cred, "{}");
    r.globalProxyUrl = "http://127.0.0.1:" + std::to_string(proxy.port());
    const auto res = exec->execute(r, sink);
    ASSERT_EQ(proxy.seen().size(), 1u);
    // Go writes req.Host into the absolute URI; the test proxy refuses non-loopback hosts.
    EXPECT_EQ(proxy.seen()[0].uri, "http://api.example.test/chat/completions");
    EXPECT_EQ(proxy.seen()[0].host, "api.example.test");
    EXPECT_EQ(res.status, 502);
    EXPECT_EQ(up.requestCount(), 0u);
}

TEST_F(UpstreamTransport, Socks5GlobalProxyWithAuth) {
    LoopbackProxy proxy(LoopbackProxy::Mode::Socks5, 0, "u", "p");
    auto r = request(ClientFormat::Claude, credential(sdk::wire::kClaudeMessages, up.baseUrl()), "{}");
    r.globalProxyUrl = "socks5h://u:p@127.0.0.1:" + std::to_string(proxy.port());
    const auto res = exec->execute(r, sink);
    ASSERT_TRUE(res.ok) << res.errorMessage;
    ASSERT_EQ(proxy.targets().size(), 1u);
    EXPECT_EQ(proxy.targets()[0], "127.0.0.1:" + std::to_string(up.port()));

    r.globalProxyUrl = "socks5://u:wrong@127.0.0.1:" + std::to_string(proxy.port());
    const auto bad = exec->execute(r, sink);
    EXPECT_FALSE(bad.ok);
    EXPECT_EQ(bad.errorCode, "connect");
}

TEST_F(UpstreamTransport, DirectOverridesGlobalProxy) {
    LoopbackProxy proxy(LoopbackProxy::Mode::Connect);
    auto cred = credential(sdk::wire::kOpenAIChat, up.baseUrl());
    cred->proxyUrl = "DIRECT";
    auto r = request(ClientFormat::OpenAIChat, cred, "{}");
    r.globalProxyUrl = "http://127.0.0.1:" + std::to_string(proxy.port());
    EXPECT_TRUE(exec->execute(r, sink).ok);
    EXPECT_EQ(proxy.connections(), 0);
}

TEST_F(UpstreamTransport, InvalidProxyIsLoggedAndIgnored) {
    auto cred = credential(sdk::wire::kOpenAIChat, up.baseUrl());
    cred->proxyUrl = "ftp://127.0.0.1:21";
    EXPECT_TRUE(exec->execute(request(ClientFormat::OpenAIChat, cred, "{}"), sink).ok);
    std::lock_guard lock(log.mutex);
    ASSERT_FALSE(log.lines.empty());
    EXPECT_EQ(log.lines[0].find("ftp"), std::string::npos);  // never echo the (possibly secret) URL
}

}  // namespace
}  // namespace cpa::proxy::testing
