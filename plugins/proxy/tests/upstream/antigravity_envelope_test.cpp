// Antigravity's request envelope (oauth-executors.md §3.4.2–§3.4.3), its
// 429 classification (oauth-executors.md §4.2) and the merge of a stream into one answer
// (oauth-executors.md §3.4.1), with the vectors of the original's executor tests.
#include "upstream/antigravity_collect.hpp"
#include "upstream/antigravity_envelope.hpp"
#include "upstream/antigravity_quota.hpp"
#include "upstream/request_builder.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>

namespace cpa::proxy::upstream {
namespace {

using sdk::Value;

/// The original's tool payload: a schema with keywords Antigravity refuses.
const char* kToolRequest = R"({"tools":[{"function_declarations":[{"name":"tool_1","parametersJsonSchema":{
  "$schema":"http://json-schema.org/draft-07/schema#","$id":"root-schema","type":"object",
  "properties":{"$id":{"type":"string"},"arg":{"type":"object","prefill":"hello","properties":{
    "mode":{"type":"string","deprecated":true,"enum":["a","b"],"enumTitles":["A","B"]}}}},
  "patternProperties":{"^x-":{"type":"string"}}}}]}],
  "contents":[{"role":"user","parts":[{"text":"hello"}]}]})";

const Value& firstDeclaration(const Value& body) {
    return body.find("request")->find("tools")->asArray()[0].find("function_declarations")->asArray()[0];
}

void expectSanitized(const Value& body) {
    const Value& decl = firstDeclaration(body);
    EXPECT_FALSE(decl.find("parametersJsonSchema"));
    const Value* params = decl.find("parameters");
    ASSERT_TRUE(params && params->isObject());
    EXPECT_FALSE(params->find("$id"));
    EXPECT_FALSE(params->find("patternProperties"));
    EXPECT_TRUE(params->find("properties")->find("$id")) << "a property named $id is kept";
    const Value* arg = params->find("properties")->find("arg");
    EXPECT_FALSE(arg->find("prefill"));
    const Value* mode = arg->find("properties")->find("mode");
    EXPECT_FALSE(mode->find("enumTitles"));
    EXPECT_FALSE(mode->find("deprecated"));
}

TEST(AntigravityEnvelope, GeminiAndClaudeToolSchemasAreSanitized) {
    expectSanitized(antigravityEnvelope(sdk::parseJson(kToolRequest), "gemini-2.5-pro", "p"));
    const Value claude = antigravityEnvelope(sdk::parseJson(kToolRequest), "claude-opus-4-6", "p");
    expectSanitized(claude);
    EXPECT_EQ(claude.findPath("request.toolConfig.functionCallingConfig.mode")->asString(), "VALIDATED");
}

TEST(AntigravityEnvelope, WithoutToolsNothingButTheEnvelopeChanges) {
    // The original's vector: no tools (or an empty list) → no schema cleaning,
    // unknown members kept; non-Claude models still lose maxOutputTokens.
    for (const char* tools : {"", R"("tools":[],)"}) {
        const Value request = sdk::parseJson(std::string("{") + tools +
                                             R"("contents":[{"role":"user","x-debug":"keep-me","parts":[{"text":"hello"}]}],
               "nonSchema":{"nullable":true,"x-extra":"keep-me"},"generationConfig":{"maxOutputTokens":128}})");
        const Value body = antigravityEnvelope(request, "gemini-3.1-flash-image", "proj");
        const Value& inner = *body.find("request");
        EXPECT_EQ(inner.find("contents")->asArray()[0].find("x-debug")->asString(), "keep-me");
        EXPECT_TRUE(inner.find("nonSchema")->find("nullable"));
        EXPECT_EQ(inner.find("nonSchema")->find("x-extra")->asString(), "keep-me");
        EXPECT_FALSE(inner.find("generationConfig")->find("maxOutputTokens"));
        EXPECT_EQ(body.find("requestType")->asString(), "image_gen");
        EXPECT_EQ(body.find("requestId")->asString().rfind("image_gen/", 0), 0u);
        EXPECT_FALSE(inner.find("sessionId")) << "image models carry no session id";
    }
}

TEST(AntigravityEnvelope, TextModelsGetTheEnvelopeFieldsAndAStableSessionId) {
    const Value request = sdk::parseJson(
        R"({"contents":[{"role":"user","parts":[{"text":"hello"}]}],"safetySettings":[],"model":"x",
            "generationConfig":{"maxOutputTokens":999999}})");
    const Value body = antigravityEnvelope(request, "claude-sonnet-4-6", "");
    EXPECT_EQ(body.find("model")->asString(), "claude-sonnet-4-6");
    EXPECT_EQ(body.find("userAgent")->asString(), "antigravity");
    EXPECT_EQ(body.find("requestType")->asString(), "agent");
    EXPECT_EQ(body.find("requestId")->asString().rfind("agent-", 0), 0u);
    const std::string project = body.find("project")->asString();
    EXPECT_EQ(std::count(project.begin(), project.end(), '-'), 2) << project;  // <adjective>-<noun>-<5 hex>
    const Value& inner = *body.find("request");
    EXPECT_FALSE(inner.find("safetySettings"));
    EXPECT_FALSE(inner.find("model"));
    EXPECT_EQ(inner.findPath("generationConfig.maxOutputTokens")->asInt(), 64000) << "capped by the catalogue";
    // SHA-256("hello") starts 2cf24dba5fb0a30e: big-endian, sign bit cleared.
    EXPECT_EQ(inner.find("sessionId")->asString(), "-" + std::to_string(0x2cf24dba5fb0a30eull));
    EXPECT_EQ(antigravitySessionId(request), antigravitySessionId(request));
}

TEST(AntigravityEnvelope, CountTokensUserAgentAndTheStreamPathModels) {
    const Value count = antigravityCountEnvelope(sdk::parseJson(R"({"contents":[],"safetySettings":[],"model":"m"})"));
    EXPECT_FALSE(count.find("project"));
    EXPECT_FALSE(count.find("model"));
    EXPECT_FALSE(count.find("request")->find("safetySettings"));
    EXPECT_FALSE(count.find("request")->find("model"));

    EXPECT_EQ(antigravityUserAgent(""), "antigravity/1.21.9 darwin/arm64");
    EXPECT_EQ(antigravityUserAgent(" antigravity/2.0 darwin/arm64 google-api-nodejs-client/10.3.0 "),
              "antigravity/2.0 darwin/arm64");
    EXPECT_EQ(antigravityUserAgent("custom/1 google-api-nodejs-client/10.3.0"), "custom/1 google-api-nodejs-client/10.3.0");

    EXPECT_TRUE(antigravityNonStreamViaStream("Claude-Sonnet-4-6"));
    EXPECT_TRUE(antigravityNonStreamViaStream("gemini-3-pro-high"));
    EXPECT_TRUE(antigravityNonStreamViaStream("gemini-3.1-flash-image"));
    EXPECT_FALSE(antigravityNonStreamViaStream("gemini-3-flash"));
}

TEST(AntigravityEnvelope, TheBuilderKeepsClaudeSignaturesAndUsesTheStreamPath) {
    auto cred = std::make_shared<UpstreamCredential>();
    cred->wire = std::string(oauth_wire::kAntigravity);
    cred->apiKey = "tok";
    cred->project = "proj-9";
    cred->baseUrl = "http://127.0.0.1:9/";
    cred->userAgent = "antigravity/3.0 linux/amd64";
    ExecRequest r;
    r.format = ClientFormat::Gemini;
    r.geminiMethod = "generateContent";
    r.upstreamModel = "claude-sonnet-4-6";
    r.body = R"({"contents":[{"role":"user","parts":[{"text":"hi"}]},
                 {"role":"model","parts":[{"text":"t","thought":true,"thoughtSignature":"sig-claude"}]}]})";
    r.credential = cred;
    const UpstreamCall call = buildUpstreamCall(r);
    EXPECT_EQ(call.family, Family::Antigravity);
    EXPECT_EQ(call.url, "http://127.0.0.1:9/v1internal:streamGenerateContent?alt=sse");
    EXPECT_TRUE(call.upstreamStreams);
    const Value body = sdk::parseJson(call.body);
    EXPECT_EQ(body.find("project")->asString(), "proj-9");
    EXPECT_EQ(body.findPath("request.contents")->asArray()[1].find("parts")->asArray()[0].find("thoughtSignature")->asString(),
              "sig-claude");
    bool ua = false;
    for (const auto& [k, v] : call.headers) ua = ua || (k == "User-Agent" && v == "antigravity/3.0 linux/amd64");
    EXPECT_TRUE(ua);

    r.upstreamModel = "gemini-3-flash";
    const UpstreamCall gemini = buildUpstreamCall(r);
    EXPECT_EQ(gemini.url, "http://127.0.0.1:9/v1internal:generateContent");
    EXPECT_FALSE(gemini.upstreamStreams);
    EXPECT_EQ(sdk::parseJson(gemini.body).findPath("request.contents")->asArray()[1].find("parts")->asArray()[0]
                  .find("thoughtSignature")->asString(),
              "skip_thought_signature_validator");
}

TEST(Antigravity429, TheOriginalsClassificationVectors) {
    using K = Antigravity429::Kind;
    EXPECT_EQ(decideAntigravity429(R"({"error":{"status":"RESOURCE_EXHAUSTED","message":"QUOTA_EXHAUSTED"}})").kind,
              K::QuotaExhausted);
    const Antigravity429 ui = decideAntigravity429(R"({"error":{"code":429,
        "message":"You have exhausted your capacity on this model. Your quota will reset after 0s.",
        "status":"RESOURCE_EXHAUSTED","details":[
          {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","domain":"cloudcode-pa.googleapis.com",
           "metadata":{"model":"claude-opus-4-6-thinking","quotaResetDelay":"479.417207ms","uiMessage":"true"}},
          {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"0.479417207s"}]}})");
    EXPECT_EQ(ui.kind, K::InstantRetry);
    ASSERT_TRUE(ui.retryAfterSeconds);
    EXPECT_NEAR(*ui.retryAfterSeconds, 0.479417207, 1e-9);
    EXPECT_EQ(decideAntigravity429(R"({"error":{"status":"RESOURCE_EXHAUSTED","details":[
          {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED"},
          {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"0.5s"}]}})").kind,
              K::InstantRetry);
    EXPECT_EQ(decideAntigravity429(R"({"error":{"status":"RESOURCE_EXHAUSTED","details":[
          {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"QUOTA_EXHAUSTED"}]}})").kind,
              K::QuotaExhausted);
    EXPECT_EQ(decideAntigravity429(R"({"error":{"message":"too many requests"}})").kind, K::SoftRetry);
    EXPECT_EQ(decideAntigravity429("").kind, K::SoftRetry);
    const auto limited = [](const char* delay) {
        return decideAntigravity429(std::string(R"({"error":{"status":"RESOURCE_EXHAUSTED","details":[
          {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED"},
          {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":")") + delay + R"("}]}})").kind;
    };
    EXPECT_EQ(limited("2.9s"), K::InstantRetry);
    EXPECT_EQ(limited("30s"), K::ShortCooldown);
    EXPECT_EQ(limited("301s"), K::QuotaExhausted);
    EXPECT_EQ(decideAntigravity429(R"({"error":{"status":"RESOURCE_EXHAUSTED","details":[
          {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED"}]}})").kind,
              K::SoftRetry);
    EXPECT_TRUE(antigravityNoCapacity(503, R"({"error":{"code":503,
        "message":"No capacity available for model gemini-3.1-flash-image on the server","status":"UNAVAILABLE"}})"));
    EXPECT_FALSE(antigravityNoCapacity(429, "No capacity available"));
}

TEST(AntigravityCollector, ConsecutiveTextAndThoughtsMergeFunctionCallsStayParts) {
    AntigravityCollector c;
    c.line(R"(data: {"response":{"candidates":[{"content":{"role":"model","parts":[{"text":"think ","thought":true}]}}]},"traceId":"t-1"})");
    c.line(R"(data: {"response":{"candidates":[{"content":{"role":"model","parts":[{"text":"more","thought":true,"thoughtSignature":"sig"}]}}]}})");
    c.line(R"(data: {"response":{"candidates":[{"content":{"role":"model","parts":[{"text":"hel"}]}}]}})");
    c.line(R"(data: {"response":{"candidates":[{"content":{"role":"model","parts":[{"text":"lo"},{"functionCall":{"name":"f","args":{}},"thought_signature":"s2"}]}}]}})");
    c.line(R"(data: {"response":{"candidates":[{"content":{"role":"model","parts":[{"text":" "}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":3,"totalTokenCount":7},"modelVersion":"mv","responseId":"r-9"}})");
    const Value body = sdk::parseJson(c.body());
    EXPECT_EQ(body.find("traceId")->asString(), "t-1");
    const Value& response = *body.find("response");
    const Value& candidate = response.find("candidates")->asArray()[0];
    EXPECT_EQ(candidate.find("finishReason")->asString(), "STOP");
    const auto& parts = candidate.findPath("content.parts")->asArray();
    ASSERT_EQ(parts.size(), 3u) << sdk::toJson(response);
    EXPECT_EQ(parts[0].find("text")->asString(), "think more");
    EXPECT_EQ(parts[0].find("thoughtSignature")->asString(), "sig");
    EXPECT_EQ(parts[1].find("text")->asString(), "hello");
    EXPECT_EQ(parts[2].find("thoughtSignature")->asString(), "s2");
    EXPECT_FALSE(parts[2].find("thought_signature"));
    EXPECT_EQ(response.findPath("usageMetadata.totalTokenCount")->asInt(), 7);
    EXPECT_EQ(response.find("modelVersion")->asString(), "mv");
    EXPECT_EQ(response.find("responseId")->asString(), "r-9");

    AntigravityCollector empty;
    const Value none = sdk::parseJson(empty.body());
    EXPECT_EQ(none.findPath("response.usageMetadata.totalTokenCount")->asInt(), 0);
}

}  // namespace
}  // namespace cpa::proxy::upstream
