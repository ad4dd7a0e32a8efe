// data-plane.md §7: what each family sends upstream (asserted on what the fake received).
#include "upstream_test_support.hpp"

#include <gtest/gtest.h>

namespace cpa::proxy::testing {
namespace {

using cpa::sdk::Value;
using cpa::test::FakeUpstream;
using cpa::test::UpstreamReply;

struct UpstreamBuild : ::testing::Test {
    QuietLogger log;
    std::unique_ptr<Executor> exec = makeHttpExecutor(log);
    FakeUpstream up;
    RecordingSink sink;

    cpa::test::UpstreamRequest run(const ExecRequest& r) {
        const ExecResult res = exec->execute(r, sink);
        EXPECT_EQ(up.requestCount(), 1u) << res.errorMessage;
        last = res;
        return up.requests().at(0);
    }
    ExecResult last;
};

TEST_F(UpstreamBuild, OpenAICompatUrlHeadersAndModel) {
    auto cred = credential(sdk::wire::kOpenAIChat, up.baseUrl() + "/api/v1/");
    cred->headers = {{"X-Custom", "one"}, {"User-Agent", "custom-ua"}, {"Accept", "text/plain"}};
    const auto got = run(request(ClientFormat::OpenAIChat, cred, R"({"model":"client-model","messages":[]})"));
    EXPECT_EQ(got.target, "/api/v1/chat/completions");
    EXPECT_EQ(got.method, "POST");
    EXPECT_EQ(got.header("Authorization"), "Bearer sk-test");
    EXPECT_EQ(got.header("Content-Type"), "application/json");
    EXPECT_EQ(got.header("User-Agent"), "custom-ua");  // custom headers replace built-ins
    EXPECT_EQ(got.header("X-Custom"), "one");
    EXPECT_EQ(got.header("Accept"), "text/plain");  // non-stream: custom Accept kept
    EXPECT_EQ(json(got.body), json(R"({"model":"up-model","messages":[]})"));
    EXPECT_TRUE(last.ok);
    EXPECT_EQ(last.responseBody, R"({"ok":true})");
    EXPECT_EQ(last.log.url, up.baseUrl() + "/api/v1/chat/completions");
}

TEST_F(UpstreamBuild, OpenAICompatStreamForcesIncludeUsageAndSseHeaders) {
    auto cred = credential(sdk::wire::kOpenAIChat, up.baseUrl(), "");
    cred->headers = {{"Accept", "text/plain"}, {"Cache-Control", "max-age=1"}};
    up.enqueue(sseReply(sse({R"({"x":1})"})));
    const auto got = run(request(ClientFormat::OpenAIChat, cred,
                                 R"({"model":"m","stream":true,"stream_options":{"include_usage":false}})", true));
    EXPECT_EQ(got.header("Authorization"), "");  // key-less provider
    EXPECT_EQ(got.header("Accept"), "text/event-stream");
    EXPECT_EQ(got.header("Cache-Control"), "no-cache");
    EXPECT_EQ(json(got.body), json(R"({"model":"up-model","stream":true,"stream_options":{"include_usage":true}})"));
}

TEST_F(UpstreamBuild, OpenAICompatBodyBytesKeptExceptModel) {
    // As the original's byte-level edit: spacing, key order, "<" and non-ASCII stay as the client sent them.
    const std::string body = "{\"messages\":[{\"role\":\"user\",\"content\":\"a<b & \xc3\xa9\"}],  \"model\": \"m\"}";
    const auto got = run(request(ClientFormat::OpenAIChat, credential(sdk::wire::kOpenAIChat, up.baseUrl()), body));
    EXPECT_EQ(got.body, "{\"messages\":[{\"role\":\"user\",\"content\":\"a<b & \xc3\xa9\"}],  \"model\": \"up-model\"}");
}

TEST_F(UpstreamBuild, OpenAICompatStreamOptionsEditedInPlace) {
    auto r = request(ClientFormat::OpenAIChat, credential(sdk::wire::kOpenAIChat, up.baseUrl()),
                     R"({"model":"m","stream":true,"stream_options":{"include_usage":false,"x":1}})", true);
    up.enqueue(sseReply(sse({"{}"})));
    EXPECT_EQ(run(r).body, R"({"model":"up-model","stream":true,"stream_options":{"include_usage":true,"x":1}})");
}

TEST_F(UpstreamBuild, OpenAICompatDuplicateModelUsesTheParser) {
    const auto got = run(request(ClientFormat::OpenAIChat, credential(sdk::wire::kOpenAIChat, up.baseUrl()),
                                 R"({"model":"a","x":1,"model":"b"})"));
    EXPECT_EQ(got.body, R"({"model":"up-model","x":1})");  // one model member, re-encoded
}

TEST_F(UpstreamBuild, OpenAICompactPathDropsStream) {
    auto cred = credential(sdk::wire::kOpenAIChat, up.baseUrl());
    const auto got = run(request(ClientFormat::ResponsesCompact, cred, R"({"model":"m","stream":false,"input":"x"})"));
    EXPECT_EQ(got.target, "/responses/compact");
    EXPECT_EQ(json(got.body), json(R"({"model":"up-model","input":"x"})"));
}

TEST_F(UpstreamBuild, LegacyCompletionsBodyConverted) {
    auto cred = credential(sdk::wire::kOpenAIChat, up.baseUrl());
    up.enqueue(jsonReply(R"({"id":"c1","object":"chat.completion","created":7,"model":"up-model",)"
                                     R"("choices":[{"index":0,"message":{"role":"assistant","content":"hi"},)"
                                     R"("finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}})"));
    const auto got = run(request(ClientFormat::OpenAICompletions, cred,
                                 R"({"model":"m","prompt":"","max_tokens":5,"echo":true,"best_of":3,"stop":["x"]})"));
    EXPECT_EQ(json(got.body), json(R"({"model":"up-model","messages":[{"role":"user","content":"Complete this:"}],)"
                                   R"("max_tokens":5,"stop":["x"],"echo":true})"));
    EXPECT_EQ(json(last.responseBody),
              json(R"({"id":"c1","object":"text_completion","created":7,"model":"up-model",)"
                   R"("choices":[{"index":0,"text":"hi","finish_reason":"stop"}],)"
                   R"("usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}})"));
    EXPECT_EQ(last.usage.input, 3);
    EXPECT_EQ(last.usage.total, 4);
}

TEST_F(UpstreamBuild, CodexNormalisationHeadersAndAssembly) {
    auto cred = credential(sdk::wire::kCodexResponses, up.baseUrl() + "/backend/");
    cred->headers = {{"X-Extra", "e"}};
    up.enqueue(sseReply({
        "event: response.created\ndata: {\"type\":\"response.created\"}\n\n",
        "event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\",\"output_index\":1,\"item\":{\"id\":\"b\"}}\n\n",
        "event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":{\"id\":\"a\"}}\n\n",
        "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"r\",\"output\":[],"
        "\"usage\":{\"input_tokens\":5,\"output_tokens\":2,\"total_tokens\":7,\"input_tokens_details\":{\"cached_tokens\":1}}}}\n\n"}));
    auto r = request(ClientFormat::Responses, cred,
                     R"({"model":"m","input":"hello","temperature":1,"service_tier":"flex","prompt_cache_key":"pck",)"
                     R"("tools":[{"type":"web_search_preview_2025"}],"user":"u","instructions":null})");
    r.clientHeaders = {{"Originator", "codex_cli_rs"}, {"Version", "1.2"}, {"User-Agent", "my-agent"},
                       {"X-Not-Copied", "1"}};
    const auto got = run(r);
    EXPECT_EQ(got.target, "/backend/responses");
    EXPECT_EQ(got.header("Accept"), "text/event-stream");
    EXPECT_EQ(got.header("Authorization"), "Bearer sk-test");
    EXPECT_EQ(got.header("Originator"), "codex_cli_rs");
    EXPECT_EQ(got.header("Version"), "1.2");
    EXPECT_EQ(got.header("User-Agent"), "my-agent");
    EXPECT_EQ(got.header("Session_id"), "pck");
    EXPECT_EQ(got.header("X-Not-Copied"), "");
    EXPECT_EQ(got.header("X-Extra"), "e");
    EXPECT_EQ(json(got.body),
              json(R"({"model":"up-model","input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hello"}]}],)"
                   R"("prompt_cache_key":"pck","tools":[{"type":"web_search"},{"type":"image_generation","output_format":"png"}],)"
                   R"("instructions":"","stream":true,"store":false,"parallel_tool_calls":true,"include":["reasoning.encrypted_content"]})"));
    ASSERT_TRUE(last.ok) << last.errorMessage;
    EXPECT_EQ(json(last.responseBody), json(R"({"id":"r","output":[{"id":"a"},{"id":"b"}],)"
                                            R"("usage":{"input_tokens":5,"output_tokens":2,"total_tokens":7,"input_tokens_details":{"cached_tokens":1}}})"));
    EXPECT_EQ(last.usage.input, 5);
    EXPECT_EQ(last.usage.cached, 1);
    EXPECT_EQ(last.usage.total, 7);
}

TEST_F(UpstreamBuild, CodexWithoutCompletedIs408) {
    auto cred = credential(sdk::wire::kCodexResponses, up.baseUrl());
    up.enqueue(sseReply({"data: {\"type\":\"response.created\"}\n\n"}));
    auto r = request(ClientFormat::Responses, cred, R"({"model":"m","input":[]})");
    r.clientHeaders = {{"User-Agent", "Mozilla (Mac OS X)"}};
    const auto got = run(r);
    EXPECT_EQ(got.header("Session_id").size(), 36u);  // random UUID for Mac user agents
    EXPECT_FALSE(last.ok);
    EXPECT_EQ(last.status, 408);
    EXPECT_EQ(last.errorMessage,
              "stream error: stream disconnected before completion: stream closed before response.completed");
}

TEST_F(UpstreamBuild, ClaudeNonAnthropicBaseUsesBearerAndBetas) {
    auto cred = credential(sdk::wire::kClaudeMessages, up.baseUrl() + "/");
    cred->headers = {{"Accept-Encoding", "br"}};
    auto r = request(ClientFormat::Claude, cred, R"({"model":"m","betas":["b1","interleaved-thinking-2025-05-14"],"max_tokens":1})");
    r.clientHeaders = {{"Anthropic-Beta", "x-beta"}, {"Anthropic-Version", "2024-01-01"}};
    const auto got = run(r);
    EXPECT_EQ(got.target, "//v1/messages?beta=true");  // base used as configured
    EXPECT_EQ(got.header("Authorization"), "Bearer sk-test");
    EXPECT_EQ(got.header("x-api-key"), "");
    EXPECT_EQ(got.header("Anthropic-Beta"), "x-beta,oauth-2025-04-20,interleaved-thinking-2025-05-14,b1");
    EXPECT_EQ(got.header("Anthropic-Version"), "2024-01-01");
    EXPECT_EQ(got.header("Accept"), "application/json");
    EXPECT_EQ(got.header("Accept-Encoding"), "br");
    EXPECT_EQ(json(got.body), json(R"({"model":"up-model","max_tokens":1})"));
}

TEST_F(UpstreamBuild, ClaudeStreamDefaultsAndIdentityEncoding) {
    auto cred = credential(sdk::wire::kClaudeMessages, up.baseUrl());
    cred->headers = {{"Accept-Encoding", "gzip"}};
    up.enqueue(sseReply({"event: ping\ndata: {}\n\n"}));
    const auto got = run(request(ClientFormat::Claude, cred, R"({"model":"m","stream":true})", true));
    EXPECT_EQ(got.header("Anthropic-Version"), "2023-06-01");
    EXPECT_EQ(got.header("Anthropic-Beta").rfind("claude-code-20250219,oauth-2025-04-20,", 0), 0u);
    EXPECT_EQ(got.header("Accept"), "text/event-stream");
    EXPECT_EQ(got.header("Accept-Encoding"), "identity");  // re-forced after custom headers
}

TEST_F(UpstreamBuild, ClaudeCountTokensPath) {
    auto cred = credential(sdk::wire::kClaudeMessages, up.baseUrl());
    up.enqueue(jsonReply(R"({"input_tokens":12})"));
    const auto got = run(request(ClientFormat::ClaudeCountTokens, cred, R"({"model":"m"})"));
    EXPECT_EQ(got.target, "/v1/messages/count_tokens?beta=true");
    EXPECT_EQ(last.responseBody, R"({"input_tokens":12})");
    EXPECT_FALSE(last.usage.present);  // count-token calls publish no usage
}

TEST_F(UpstreamBuild, ClaudeGzipResponseDecompressed) {
    // gzip of {"usage":{"input_tokens":2,"output_tokens":3}}
    static const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xab, 0x56, 0x2a,
        0x2d, 0x4e, 0x4c, 0x4f, 0x55, 0xb2, 0xaa, 0x56, 0xca, 0xcc, 0x2b, 0x28, 0x2d, 0x89, 0x2f, 0xc9, 0xcf, 0x4e, 0xcd,
        0x2b, 0x56, 0xb2, 0x32, 0xd2, 0x51, 0xca, 0x2f, 0x2d, 0x41, 0x16, 0x31, 0xae, 0xad, 0x05, 0x00, 0x8b, 0x3a, 0xbe,
        0x5f, 0x2e, 0x00, 0x00, 0x00};
    auto cred = credential(sdk::wire::kClaudeMessages, up.baseUrl());
    up.enqueue(jsonReply(std::string(reinterpret_cast<const char*>(gz), sizeof gz), 200, {{"Content-Encoding", "gzip"}}));
    run(request(ClientFormat::Claude, cred, R"({"model":"m"})"));
    ASSERT_TRUE(last.ok) << last.errorMessage;
    EXPECT_EQ(last.responseBody, R"({"usage":{"input_tokens":2,"output_tokens":3}})");
    EXPECT_EQ(last.usage.input, 2);
    EXPECT_EQ(last.usage.output, 3);
    EXPECT_EQ(last.usage.total, 5);
}

TEST_F(UpstreamBuild, GeminiUrlAltAndNormalisation) {
    auto cred = credential(sdk::wire::kGemini, up.baseUrl() + "/");
    cred->headers = {{"X-Goog-Extra", "1"}};
    auto r = request(ClientFormat::Gemini, cred,
                     R"({"contents":[{"parts":[{"text":"a"}]},{"role":"bot","parts":[{"functionCall":{"name":"f"}}]},)"
                     R"({"role":"user","parts":[{"functionResponse":{"name":"","response":{}}}]}],)"
                     R"("tools":[{"functionDeclarations":[{"name":"f","parameters":{"type":"object"}}]}],)"
                     R"("generationConfig":{"responseSchema":{"type":"string"}},"session_id":"s"})");
    r.geminiMethod = "generateContent";
    r.geminiAlt = "json";
    const auto got = run(r);
    EXPECT_EQ(got.target, "/v1beta/models/up-model:generateContent?$alt=json");
    EXPECT_EQ(got.header("x-goog-api-key"), "sk-test");
    EXPECT_EQ(got.header("X-Goog-Extra"), "1");
    const Value body = json(got.body);
    EXPECT_EQ(body, json(R"({"contents":[{"parts":[{"text":"a"}],"role":"user"},)"
                         R"({"role":"model","parts":[{"functionCall":{"name":"f"},"thoughtSignature":"skip_thought_signature_validator"}]},)"
                         R"({"role":"user","parts":[{"functionResponse":{"name":"f","response":{}}}]}],)"
                         R"("tools":[{"function_declarations":[{"name":"f","parametersJsonSchema":{"type":"object"}}]}],)"
                         R"("generationConfig":{"responseJsonSchema":{"type":"string"}},)"
                         R"("safetySettings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"OFF"},)"
                         R"({"category":"HARM_CATEGORY_HATE_SPEECH","threshold":"OFF"},)"
                         R"({"category":"HARM_CATEGORY_SEXUALLY_EXPLICIT","threshold":"OFF"},)"
                         R"({"category":"HARM_CATEGORY_DANGEROUS_CONTENT","threshold":"OFF"},)"
                         R"({"category":"HARM_CATEGORY_CIVIC_INTEGRITY","threshold":"BLOCK_NONE"}],"model":"up-model"})"));
}

TEST_F(UpstreamBuild, GeminiStreamAndCountTokens) {
    auto cred = credential(sdk::wire::kGemini, up.baseUrl());
    up.enqueue(sseReply(sse({R"({"candidates":[]})"})));
    auto r = request(ClientFormat::Gemini, cred, R"({"contents":[]})", true);
    r.geminiMethod = "streamGenerateContent";
    EXPECT_EQ(run(r).target, "/v1beta/models/up-model:streamGenerateContent?alt=sse");

    FakeUpstream up2;
    up2.enqueue(jsonReply(R"({"totalTokens":42,"extra":1})"));
    auto c = request(ClientFormat::Gemini, credential(sdk::wire::kGemini, up2.baseUrl()),
                     R"({"contents":[],"tools":[],"generationConfig":{}})");
    c.geminiMethod = "countTokens";
    c.geminiAlt = "json";
    const ExecResult res = exec->execute(c, sink);
    const auto got = up2.requests().at(0);
    EXPECT_EQ(got.target, "/v1beta/models/up-model:countTokens");  // never alt
    EXPECT_EQ(json(got.body), json(R"({"contents":[],"model":"up-model"})"));
    EXPECT_EQ(res.responseBody, R"({"totalTokens":42,"promptTokensDetails":[{"modality":"TEXT","tokenCount":42}]})");
}

TEST_F(UpstreamBuild, VertexUrlKeepsBaseAsConfigured) {
    auto cred = credential(sdk::wire::kVertex, up.baseUrl() + "/");
    auto r = request(ClientFormat::Gemini, cred, R"({"contents":[]})", true);
    r.geminiMethod = "streamGenerateContent";
    r.geminiAlt = "json";
    up.enqueue(sseReply({"{\"a\":1}\n"}));
    const auto got = run(r);
    EXPECT_EQ(got.target, "//v1/publishers/google/models/up-model:streamGenerateContent?$alt=json");
    EXPECT_EQ(got.header("x-goog-api-key"), "sk-test");
}

TEST_F(UpstreamBuild, CustomHostHeaderChangesHost) {
    auto cred = credential(sdk::wire::kOpenAIChat, up.baseUrl());
    cred->headers = {{"Host", "example.test"}};
    const auto got = run(request(ClientFormat::OpenAIChat, cred, R"({"model":"m"})"));
    EXPECT_EQ(got.header("Host"), "example.test");
}

TEST_F(UpstreamBuild, UnparsableBodyForwardedAsIs) {
    auto cred = credential(sdk::wire::kOpenAIChat, up.baseUrl());
    const auto got = run(request(ClientFormat::OpenAIChat, cred, "not json"));
    EXPECT_EQ(got.body, "not json");
}

}  // namespace
}  // namespace cpa::proxy::testing
