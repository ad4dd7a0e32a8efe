// Plain upstream reads wait in recv(2) bounded by SO_RCVTIMEO, set once per
// connection: a pooled connection armed for a long deadline must still wake
// for a shorter deadline or a stream keep-alive on its next call.
#include "loopback_proxy.hpp"
#include "upstream_test_support.hpp"

#include <gtest/gtest.h>

namespace cpa::proxy::testing {
namespace {

using namespace std::chrono_literals;
using cpa::test::FakeUpstream;
using cpa::test::UpstreamReply;

struct ReusedWaits : ::testing::Test {
    QuietLogger log;
    std::unique_ptr<Executor> exec = makeHttpExecutor(log);
    FakeUpstream up;
    LoopbackProxy relay{LoopbackProxy::Mode::Relay, up.port()};  // counts TCP connections
    std::shared_ptr<UpstreamCredential> cred =
        credential(sdk::wire::kOpenAIChat, "http://127.0.0.1:" + std::to_string(relay.port()));

    void warmWithLongDeadline() {
        RecordingSink s;
        up.enqueue(jsonReply("{}"));
        auto r = request(ClientFormat::OpenAIChat, cred, "{}");
        r.timeout = 10min;  // arms the connection for minutes
        ASSERT_TRUE(exec->execute(r, s).ok);
    }
};

TEST_F(ReusedWaits, ShorterDeadlineOnAReusedConnection) {
    warmWithLongDeadline();
    UpstreamReply slow = jsonReply("{}");
    slow.firstByteDelay = 3s;
    up.enqueue(slow);
    RecordingSink sink;
    auto r = request(ClientFormat::OpenAIChat, cred, "{}");
    r.timeout = 300ms;
    const auto start = std::chrono::steady_clock::now();
    const auto res = exec->execute(r, sink);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(res.errorCode, "timeout");
    EXPECT_GE(took, 290ms);
    EXPECT_LT(took, 1500ms);
    EXPECT_EQ(relay.connections(), 1);  // the second call did run on the pooled connection
}

TEST_F(ReusedWaits, StreamKeepalivesOnAReusedConnection) {
    warmWithLongDeadline();
    UpstreamReply reply = sseReply({"data: {\"a\":1}\n\n", "data: {\"b\":2}\n\n"});
    reply.eventDelay = 1400ms;
    up.enqueue(reply);
    RecordingSink sink;
    auto r = request(ClientFormat::OpenAIChat, cred, "{}", true);
    r.streamKeepaliveSeconds = 1;
    const auto res = exec->execute(r, sink);
    ASSERT_TRUE(res.ok) << res.errorMessage;
    ASSERT_GE(sink.writes.size(), 4u);
    EXPECT_EQ(sink.writes.front(), "data: {\"a\":1}\n\n");
    std::size_t keepalives = 0;
    for (const auto& w : sink.writes) keepalives += w == ": keep-alive\n\n";
    EXPECT_GE(keepalives, 1u);  // 1 s after the first event, before the second at 1.4 s
    EXPECT_EQ(sink.writes.back(), "data: [DONE]\n\n");
    EXPECT_EQ(relay.connections(), 1);
}

}  // namespace
}  // namespace cpa::proxy::testing
