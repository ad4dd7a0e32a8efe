// Upstream statuses, timeouts, cuts, disconnects and keep-alives (data-plane.md §6.11, §8.1,
// data-plane.md §8.3, §8.4, §9.3).
#include "upstream_test_support.hpp"

#include <Poco/Net/ServerSocket.h>

#include <gtest/gtest.h>

#include <thread>

namespace cpa::proxy::testing {
namespace {

using namespace std::chrono_literals;
using cpa::test::FakeUpstream;
using cpa::test::UpstreamReply;

struct UpstreamFailures : ::testing::Test {
    QuietLogger log;
    std::unique_ptr<Executor> exec = makeHttpExecutor(log);
    FakeUpstream up;
    RecordingSink sink;

    ExecRequest chat(bool stream) {
        return request(ClientFormat::OpenAIChat, credential(sdk::wire::kOpenAIChat, up.baseUrl()), R"({"model":"m"})",
                       stream);
    }
};

TEST_F(UpstreamFailures, RateLimitCarriesRetryAfterAndBody) {
    up.enqueue(jsonReply(R"({"error":{"message":"slow down"}})", 429, {{"Retry-After", "17"}}));
    const auto res = exec->execute(chat(false), sink);
    EXPECT_FALSE(res.ok);
    EXPECT_FALSE(res.committed);
    EXPECT_EQ(res.status, 429);
    EXPECT_EQ(res.errorBody, R"({"error":{"message":"slow down"}})");
    ASSERT_TRUE(res.retryAfter.has_value());
    EXPECT_EQ(res.retryAfter->count(), 17);
    bool sawRetryAfter = false;
    for (const auto& [k, v] : res.errorHeaders) sawRetryAfter |= (k == "Retry-After" && v == "17");
    EXPECT_TRUE(sawRetryAfter);
    EXPECT_EQ(res.log.responseStatus, 429);
    EXPECT_TRUE(sink.writes.empty());
}

TEST_F(UpstreamFailures, UnauthorizedAndServerErrorOnStreams) {
    up.enqueue(jsonReply("bad key", 401));
    auto res = exec->execute(chat(true), sink);
    EXPECT_EQ(res.status, 401);
    EXPECT_EQ(res.errorMessage, "bad key");
    EXPECT_FALSE(res.committed);
    up.enqueue(jsonReply("{\"e\":1}", 500));
    res = exec->execute(chat(true), sink);
    EXPECT_EQ(res.status, 500);
    EXPECT_FALSE(res.retryAfter.has_value());
    EXPECT_FALSE(sink.begun());
}

TEST_F(UpstreamFailures, TimeoutBeforeResponse) {
    UpstreamReply hang;
    hang.hang = true;
    up.enqueue(hang);
    auto r = chat(false);
    r.timeout = 300ms;
    const auto start = std::chrono::steady_clock::now();
    const auto res = exec->execute(r, sink);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    EXPECT_EQ(res.status, 0);
    EXPECT_EQ(res.errorCode, "timeout");
    EXPECT_FALSE(res.committed);
}

TEST_F(UpstreamFailures, ConnectRefused) {
    int port;
    {
        Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
        port = s.address().port();
    }
    auto r = request(ClientFormat::OpenAIChat,
                     credential(sdk::wire::kOpenAIChat, "http://127.0.0.1:" + std::to_string(port)), "{}");
    const auto res = exec->execute(r, sink);
    EXPECT_EQ(res.status, 0);
    EXPECT_EQ(res.errorCode, "connect");
    EXPECT_FALSE(res.log.errors.empty());
}

TEST_F(UpstreamFailures, CutMidStreamEndsWithTerminalErrorPerFormat) {
    struct Case {
        ClientFormat format;
        std::string_view family;
        std::string event;
        std::string expectedTail;
    };
    const std::vector<Case> cases{
        {ClientFormat::OpenAIChat, sdk::wire::kOpenAIChat, "data: {\"a\":1}\n\n",
         "data: {\"error\":{\"message\":\"upstream stream error: unexpected EOF\",\"type\":\"server_error\",\"code\":\"internal_server_error\"}}\n\n"},
        {ClientFormat::Claude, sdk::wire::kClaudeMessages, "event: ping\ndata: {}\n\n",
         "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"upstream stream error: unexpected EOF\"}}\n\n"},
        {ClientFormat::Gemini, sdk::wire::kGemini, "data: {\"a\":1}\n\n",
         "event: error\ndata: {\"error\":{\"message\":\"upstream stream error: unexpected EOF\",\"type\":\"server_error\",\"code\":\"internal_server_error\"}}\n\n"},
        {ClientFormat::Responses, sdk::wire::kCodexResponses, "event: e\ndata: {\"type\":\"e\"}\n\n",
         "\nevent: error\ndata: {\"type\":\"error\",\"code\":\"internal_server_error\",\"message\":\"upstream stream error: unexpected EOF\",\"sequence_number\":0}\n\n"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.family));
        UpstreamReply reply = sseReply({c.event, c.event, c.event});
        reply.cutAfterEvents = 1;
        up.enqueue(reply);
        RecordingSink s;
        auto r = request(c.format, credential(c.family, up.baseUrl()), "{}", true);
        r.geminiMethod = "streamGenerateContent";
        const auto res = exec->execute(r, s);
        EXPECT_FALSE(res.ok);
        EXPECT_TRUE(res.committed);
        EXPECT_EQ(res.errorCode, "stream_error");
        ASSERT_EQ(s.writes.size(), 2u);
        EXPECT_EQ(s.writes.back(), c.expectedTail);
    }
}

TEST_F(UpstreamFailures, CutBeforeFirstChunkIsRetryable) {
    UpstreamReply reply = sseReply({"data: {}\n\n"});
    reply.cutAfterEvents = 0;
    up.enqueue(reply);
    const auto res = exec->execute(chat(true), sink);
    EXPECT_FALSE(res.ok);
    EXPECT_FALSE(res.committed);
    EXPECT_EQ(res.status, 0);
    EXPECT_FALSE(sink.begun());
}

TEST_F(UpstreamFailures, EmptyStream) {
    up.enqueue(sseReply({": only a comment\n\n"}));
    const auto res = exec->execute(chat(true), sink);
    EXPECT_FALSE(res.ok);
    EXPECT_FALSE(res.committed);
    EXPECT_EQ(res.status, 0);
    EXPECT_EQ(res.errorCode, "empty_stream");
    EXPECT_EQ(res.errorMessage, "upstream stream closed before first payload");
}

TEST_F(UpstreamFailures, SlowFirstByteStillStreams) {
    UpstreamReply reply = sseReply({"data: {\"a\":1}\n\n"});
    reply.firstByteDelay = 300ms;
    up.enqueue(reply);
    auto r = chat(true);
    r.streamKeepaliveSeconds = 1;
    const auto start = std::chrono::steady_clock::now();
    const auto res = exec->execute(r, sink);
    EXPECT_TRUE(res.ok);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 280ms);
    EXPECT_EQ(sink.writes.front(), "data: {\"a\":1}\n\n");  // no keep-alive before the first chunk
}

TEST_F(UpstreamFailures, ClientDisconnectAbortsUpstream) {
    std::vector<std::string> events(50, "data: {\"n\":1}\n\n");
    UpstreamReply reply = sseReply(events);
    reply.eventDelay = 20ms;
    up.enqueue(reply);
    sink.goneAfterWrites = 2;
    const auto start = std::chrono::steady_clock::now();
    const auto res = exec->execute(chat(true), sink);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms);
    EXPECT_TRUE(res.cancelled);
    EXPECT_FALSE(res.ok);
    EXPECT_EQ(sink.writes.size(), 2u);
    for (int i = 0; i < 100 && up.abortedByClient() == 0; ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(up.abortedByClient(), 1u);
}

TEST_F(UpstreamFailures, HangUpWhileTheUpstreamIsSilentAbortsIt) {
    for (const bool stream : {false, true}) {
        UpstreamReply reply = stream ? sseReply({"data: {}\n\n"}) : jsonReply(R"({"ok":true})");
        reply.firstByteDelay = 8s;  // a long generation
        up.enqueue(reply);
        RecordingSink gone;
        gone.hangUpAt = std::chrono::steady_clock::now() + 200ms;
        const auto start = std::chrono::steady_clock::now();
        const auto res = exec->execute(chat(stream), gone);
        // Noticed at the next look (about once a second), not after 8 s.
        EXPECT_LT(std::chrono::steady_clock::now() - start, 4s) << "stream=" << stream;
        EXPECT_TRUE(res.cancelled) << "stream=" << stream;
        EXPECT_FALSE(res.ok);
        EXPECT_TRUE(gone.writes.empty());
        for (int i = 0; i < 300 && up.abortedByClient() < (stream ? 2u : 1u); ++i) std::this_thread::sleep_for(10ms);
        EXPECT_EQ(up.abortedByClient(), stream ? 2u : 1u) << "stream=" << stream;
    }
}

TEST_F(UpstreamFailures, StreamKeepalivesOnlyBetweenEvents) {
    UpstreamReply reply = sseReply({"event: a\ndata: {}\n\n", "event: b\n", "data: {}\n\n"});
    reply.eventDelay = 1300ms;
    up.enqueue(reply);
    auto r = request(ClientFormat::Claude, credential(sdk::wire::kClaudeMessages, up.baseUrl()), "{}", true);
    r.streamKeepaliveSeconds = 1;
    const auto res = exec->execute(r, sink);
    ASSERT_TRUE(res.ok) << res.errorMessage;
    // Keep-alives fall while the upstream is mid-event, yet the event "b" is one write.
    ASSERT_GE(sink.writes.size(), 3u);
    EXPECT_EQ(sink.writes.front(), "event: a\ndata: {}\n\n");
    EXPECT_EQ(sink.writes.back(), "event: b\ndata: {}\n\n");
    for (std::size_t i = 1; i + 1 < sink.writes.size(); ++i) EXPECT_EQ(sink.writes[i], ": keep-alive\n\n");
}

TEST_F(UpstreamFailures, NonStreamKeepaliveCommitsAndAppendsBody) {
    UpstreamReply reply = jsonReply(R"({"id":"msg"})");
    reply.firstByteDelay = 1200ms;
    up.enqueue(reply);
    auto r = request(ClientFormat::Claude, credential(sdk::wire::kClaudeMessages, up.baseUrl()), "{}");
    r.nonstreamKeepaliveSeconds = 1;
    const auto res = exec->execute(r, sink);
    ASSERT_TRUE(res.ok);
    EXPECT_TRUE(res.keepalivesSent);
    EXPECT_FALSE(res.committed);
    EXPECT_EQ(sink.status, 200);
    EXPECT_EQ(sink.all(), "\n");  // the body is routing's to write (data-plane.md §8.1)
    EXPECT_EQ(res.responseBody, R"({"id":"msg"})");
}

TEST_F(UpstreamFailures, NonStreamKeepaliveThenErrorBodyAfterNewline) {
    UpstreamReply reply = jsonReply("quota gone", 429);
    reply.firstByteDelay = 1200ms;
    up.enqueue(reply);
    auto r = request(ClientFormat::Claude, credential(sdk::wire::kClaudeMessages, up.baseUrl()), "{}");
    r.nonstreamKeepaliveSeconds = 1;
    const auto res = exec->execute(r, sink);
    EXPECT_FALSE(res.ok);
    EXPECT_FALSE(res.committed);  // routing may still fail over to another credential
    EXPECT_TRUE(res.keepalivesSent);
    EXPECT_EQ(res.status, 429);
    EXPECT_EQ(res.errorBody, "quota gone");
    EXPECT_EQ(sink.all(), "\n");
}

TEST_F(UpstreamFailures, NonStreamKeepaliveThenTimeoutWritesNothingMore) {
    UpstreamReply hang;
    hang.hang = true;
    up.enqueue(hang);
    auto r = request(ClientFormat::Claude, credential(sdk::wire::kClaudeMessages, up.baseUrl()), "{}");
    r.nonstreamKeepaliveSeconds = 1;
    r.timeout = 1500ms;
    const auto res = exec->execute(r, sink);
    EXPECT_FALSE(res.ok);
    EXPECT_EQ(res.errorCode, "timeout");
    EXPECT_TRUE(res.keepalivesSent);
    EXPECT_FALSE(res.committed);
    EXPECT_EQ(sink.all(), "\n");
}

TEST_F(UpstreamFailures, ChatCompletionsHasNoNonStreamKeepalive) {
    UpstreamReply reply = jsonReply("{}");
    reply.firstByteDelay = 1200ms;
    up.enqueue(reply);
    auto r = chat(false);
    r.nonstreamKeepaliveSeconds = 1;
    const auto res = exec->execute(r, sink);
    EXPECT_TRUE(res.ok);
    EXPECT_FALSE(res.committed);
    EXPECT_TRUE(sink.writes.empty());
}

}  // namespace
}  // namespace cpa::proxy::testing
