// data-plane.md §8.2 framing per client format (byte-exact; the events of one upstream
// read go out in one sink write), usage extraction per format (data-plane.md §10).
#include "upstream_test_support.hpp"

#include <gtest/gtest.h>

namespace cpa::proxy::testing {
namespace {

using cpa::test::FakeUpstream;

struct UpstreamStream : ::testing::Test {
    QuietLogger log;
    std::unique_ptr<Executor> exec = makeHttpExecutor(log);
    FakeUpstream up;
    RecordingSink sink;
};

TEST_F(UpstreamStream, OpenAIChatReframesAndAddsDone) {
    up.enqueue(sseReply({"data: {\"id\":1,\"usage\":null}\n\n", ": comment\nevent: x\n\n",
                         "data:{\"id\":2}\r\n\r\n",
                         "data: {\"id\":3,\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":6,\"total_tokens\":10,"
                         "\"prompt_tokens_details\":{\"cached_tokens\":2},\"completion_tokens_details\":{\"reasoning_tokens\":1}}}\n\n",
                         "data: [DONE]\n\n"}));
    const auto res = exec->execute(
        request(ClientFormat::OpenAIChat, credential(sdk::wire::kOpenAIChat, up.baseUrl()), R"({"model":"m"})", true),
        sink);
    ASSERT_TRUE(res.ok) << res.errorMessage;
    EXPECT_TRUE(res.committed);
    EXPECT_EQ(sink.status, 200);
    EXPECT_EQ(sink.header("Content-Type"), "text/event-stream");
    EXPECT_EQ(sink.header("Cache-Control"), "no-cache");
    EXPECT_EQ(sink.header("Access-Control-Allow-Origin"), "*");
    const std::string out = sink.all();
    const std::string head = "data: {\"id\":1,\"usage\":null}\n\ndata: {\"id\":2}\n\ndata: {\"id\":3,";
    EXPECT_EQ(out.rfind(head, 0), 0u) << out;
    EXPECT_EQ(out.size() - out.rfind("\n\ndata: [DONE]\n\n"), std::string("\n\ndata: [DONE]\n\n").size()) << out;
    // usage: null is ignored; the chunk with an object counts.
    EXPECT_TRUE(res.usage.present);
    EXPECT_EQ(res.usage.input, 4);
    EXPECT_EQ(res.usage.output, 6);
    EXPECT_EQ(res.usage.total, 10);
    EXPECT_EQ(res.usage.cached, 2);
    EXPECT_EQ(res.usage.reasoning, 1);
    EXPECT_NE(res.log.responseBody.find("[DONE]"), std::string::npos);
}

TEST_F(UpstreamStream, OpenAIChatWithoutUpstreamDoneStillEndsWithDone) {
    up.enqueue(sseReply({"data: {\"a\":1}\n\n"}));
    const auto res = exec->execute(
        request(ClientFormat::OpenAIChat, credential(sdk::wire::kOpenAIChat, up.baseUrl()), "{}", true), sink);
    ASSERT_TRUE(res.ok);
    EXPECT_EQ(sink.all(), "data: {\"a\":1}\n\ndata: [DONE]\n\n");
    EXPECT_FALSE(res.usage.present);
}

TEST_F(UpstreamStream, ClaudeLinesVerbatimWholeEvents) {
    const std::string e1 =
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":99}}}\n\n";
    const std::string e2 = "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"input_tokens\":7,"
                           "\"output_tokens\":3,\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":2}}\n\n";
    const std::string e3 = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    // The second event arrives split across two upstream chunks.
    up.enqueue(sseReply({e1, e2.substr(0, 20), e2.substr(20), e3}));
    const auto res = exec->execute(
        request(ClientFormat::Claude, credential(sdk::wire::kClaudeMessages, up.baseUrl()), R"({"stream":true})", true), sink);
    ASSERT_TRUE(res.ok) << res.errorMessage;
    EXPECT_EQ(sink.all(), e1 + e2 + e3);
    for (const std::string& w : sink.writes) EXPECT_EQ(w.substr(w.size() - 2), "\n\n") << "whole events only";
    EXPECT_EQ(res.usage.input, 7);  // top-level usage only (message_delta)
    EXPECT_EQ(res.usage.output, 3);
    EXPECT_EQ(res.usage.cached, 2);
    EXPECT_EQ(res.usage.total, 10);
}

TEST_F(UpstreamStream, EventsOfOneReadShareAWriteAndPacedEventsEachGetTheirOwn) {
    const std::string e1 = "event: a\ndata: {\"type\":\"a\"}\n\n", e2 = "event: b\ndata: {\"type\":\"b\"}\n\n";
    // Both events in one upstream write: one client write (one chunk, one send).
    up.enqueue(sseReply({e1 + e2}));
    auto r = request(ClientFormat::Claude, credential(sdk::wire::kClaudeMessages, up.baseUrl()), R"({"stream":true})", true);
    ASSERT_TRUE(exec->execute(r, sink).ok);
    EXPECT_EQ(sink.writes, std::vector<std::string>{e1 + e2});

    // 50 ms apart: each goes out when it arrives, nothing waits for the next.
    RecordingSink paced;
    auto slow = sseReply({e1, e2});
    slow.eventDelay = std::chrono::milliseconds(50);
    up.enqueue(slow);
    ASSERT_TRUE(exec->execute(r, paced).ok);
    EXPECT_EQ(paced.writes, (std::vector<std::string>{e1, e2}));
}

TEST_F(UpstreamStream, GeminiApiKeySseAndUsageRenameQuirk) {
    up.enqueue(sseReply({"data: {\"candidates\":[{\"content\":{}}],\"usageMetadata\":{\"promptTokenCount\":1}}\n\n",
                         "data: not-json\n\n",
                         "data: {\"candidates\":[{\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":5,"
                         "\"candidatesTokenCount\":2,\"thoughtsTokenCount\":1,\"totalTokenCount\":8,\"cachedContentTokenCount\":3}}\n\n"}));
    auto r = request(ClientFormat::Gemini, credential(sdk::wire::kGemini, up.baseUrl()), "{}", true);
    r.geminiMethod = "streamGenerateContent";
    const auto res = exec->execute(r, sink);
    ASSERT_TRUE(res.ok) << res.errorMessage;
    const std::string first = "data: {\"candidates\":[{\"content\":{}}],\"cpaUsageMetadata\":{\"promptTokenCount\":1}}\n\n";
    EXPECT_EQ(sink.all().rfind(first + "data: {\"candidates\":[{\"finishReason\":\"STOP\"}],\"usageMetadata\"", 0), 0u)
        << sink.all();
    EXPECT_EQ(res.usage.input, 5);
    EXPECT_EQ(res.usage.output, 2);
    EXPECT_EQ(res.usage.reasoning, 1);
    EXPECT_EQ(res.usage.total, 8);
    EXPECT_EQ(res.usage.cached, 3);
}

TEST_F(UpstreamStream, VertexAltModeRawChunksNoSseHeaders) {
    up.enqueue(sseReply({"{\"a\":1,\"usageMetadata\":{\"promptTokenCount\":2}}\n", "[DONE]\n", "\n", "{\"b\":2}\n"}));
    auto r = request(ClientFormat::Gemini, credential(sdk::wire::kVertex, up.baseUrl()), "{}", true);
    r.geminiMethod = "streamGenerateContent";
    r.geminiAlt = "json";
    r.streamKeepaliveSeconds = 1;  // disabled in alt mode
    const auto res = exec->execute(r, sink);
    ASSERT_TRUE(res.ok) << res.errorMessage;
    EXPECT_TRUE(sink.headers.empty());
    EXPECT_EQ(sink.all(), "{\"a\":1,\"usageMetadata\":{\"promptTokenCount\":2}}{\"b\":2}");
    EXPECT_EQ(res.usage.input, 2);  // Vertex: first chunk with any usage
}

TEST_F(UpstreamStream, ResponsesReframedWithFinalNewline) {
    up.enqueue(sseReply({"event: response.created\ndata: {\"type\":\"response.created\"}\n\n",
                         "event: response.output_text.delta\n", "data:   {\"type\":\"response.output_text.delta\"}\n\n",
                         "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"usage\":"
                         "{\"input_tokens\":3,\"output_tokens\":4,\"total_tokens\":7,\"output_tokens_details\":{\"reasoning_tokens\":2}}}}\n\n"}));
    const auto res = exec->execute(
        request(ClientFormat::Responses, credential(sdk::wire::kCodexResponses, up.baseUrl()), R"({"stream":true})", true), sink);
    ASSERT_TRUE(res.ok) << res.errorMessage;
    const std::string out = sink.all();
    EXPECT_EQ(out.rfind("event: response.created\ndata: {\"type\":\"response.created\"}\n\n"
                        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\"}\n\n"
                        "event: response.completed\ndata: {",
                        0),
              0u)
        << out;
    EXPECT_EQ(out.substr(out.size() - 4), "}\n\n\n") << "the final newline after the last event";
    EXPECT_EQ(res.usage.input, 3);
    EXPECT_EQ(res.usage.output, 4);
    EXPECT_EQ(res.usage.reasoning, 2);
    EXPECT_EQ(res.usage.total, 7);
}

TEST_F(UpstreamStream, ResponsesInvalidJsonEndsWithTerminalError) {
    up.enqueue(sseReply({"event: a\ndata: {\"type\":\"a\"}\n\n", "event: b\ndata: {broken\n\n"}));
    const auto res = exec->execute(
        request(ClientFormat::Responses, credential(sdk::wire::kCodexResponses, up.baseUrl()), "{}", true), sink);
    EXPECT_FALSE(res.ok);
    EXPECT_TRUE(res.committed);
    ASSERT_EQ(sink.writes.size(), 2u);
    EXPECT_EQ(sink.writes[1],
              "\nevent: error\ndata: {\"type\":\"error\",\"code\":\"internal_server_error\",\"message\":"
              "\"invalid JSON in upstream stream\",\"sequence_number\":0}\n\n");
}

TEST_F(UpstreamStream, LegacyCompletionsStreamConverted) {
    up.enqueue(sseReply({"data: {\"id\":\"x\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n",
                         "data: {\"id\":\"x\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n",
                         "data: {\"id\":\"x\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"}));
    const auto res = exec->execute(
        request(ClientFormat::OpenAICompletions, credential(sdk::wire::kOpenAIChat, up.baseUrl()),
                R"({"prompt":"p","stream":true})", true),
        sink);
    ASSERT_TRUE(res.ok);
    EXPECT_EQ(sink.all(),
              "data: {\"id\":\"x\",\"object\":\"text_completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\"Hi\"}]}\n\n"
              "data: {\"id\":\"x\",\"object\":\"text_completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"stop\"}]}\n\n"
              "data: [DONE]\n\n");
}

TEST_F(UpstreamStream, PassthroughHeadersFiltered) {
    auto reply = sseReply({"data: {}\n\n"});
    reply.headers = {{"X-Request-Id", "r1"}, {"Set-Cookie", "a=b"}, {"x-litellm-key", "k"}, {"Cache-Control", "private"},
                     {"X-Hop", "1"}, {"Connection", "X-Hop"}};
    up.enqueue(reply);
    auto r = request(ClientFormat::OpenAIChat, credential(sdk::wire::kOpenAIChat, up.baseUrl()), "{}", true);
    r.passthroughHeaders = true;
    ASSERT_TRUE(exec->execute(r, sink).ok);
    EXPECT_EQ(sink.header("X-Request-Id"), "r1");
    EXPECT_EQ(sink.header("Set-Cookie"), "");
    EXPECT_EQ(sink.header("x-litellm-key"), "");
    EXPECT_EQ(sink.header("X-Hop"), "");
    EXPECT_EQ(sink.header("Cache-Control"), "no-cache");  // never overrides the proxy's own

    RecordingSink plain;
    up.enqueue(reply);
    r.passthroughHeaders = false;
    ASSERT_TRUE(exec->execute(r, plain).ok);
    EXPECT_EQ(plain.header("X-Request-Id"), "");
}

}  // namespace
}  // namespace cpa::proxy::testing
