// Request builders and helpers of the issue 21 OAuth executors: the Code
// Assist envelope (oauth-executors.md §3.3), Google retry delays (§4.1), the
// Kimi model name and tool-message repair (oauth-executors.md §3.5), preview variants.
#include "registry/catalog.hpp"
#include "upstream/request_builder.hpp"
#include "upstream/response_util.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

namespace cpa::proxy::upstream {
namespace {

ExecRequest requestFor(std::string_view wire, std::string body, std::string method = "generateContent") {
    auto cred = std::make_shared<UpstreamCredential>();
    cred->wire = std::string(wire);
    cred->apiKey = "tok";
    cred->project = "proj-9";
    cred->baseUrl = "http://127.0.0.1:9/";
    ExecRequest r;
    r.format = wire == oauth_wire::kGeminiCli ? ClientFormat::Gemini : ClientFormat::OpenAIChat;
    r.geminiMethod = std::move(method);
    r.upstreamModel = wire == oauth_wire::kGeminiCli ? "gemini-2.5-pro" : "kimi-k2.5";
    r.body = std::move(body);
    r.credential = cred;
    return r;
}

TEST(OAuthBuilders, CodeAssistWrapsTheGeminiBody) {
    const UpstreamCall call =
        buildUpstreamCall(requestFor(oauth_wire::kGeminiCli, R"({"contents":[{"role":"user","parts":[{"text":"hi"}]}]})"));
    EXPECT_EQ(call.family, Family::CodeAssist);
    EXPECT_EQ(call.url, "http://127.0.0.1:9/v1internal:generateContent");
    const sdk::Value body = sdk::parseJson(call.body);
    EXPECT_EQ(body.find("project")->asString(), "proj-9");
    EXPECT_EQ(body.find("model")->asString(), "gemini-2.5-pro");
    EXPECT_TRUE(body.find("request")->find("safetySettings"));
    EXPECT_FALSE(body.find("request")->find("model"));

    const UpstreamCall count =
        buildUpstreamCall(requestFor(oauth_wire::kGeminiCli, R"({"contents":[]})", "countTokens"));
    const sdk::Value c = sdk::parseJson(count.body);
    EXPECT_FALSE(c.find("project"));
    EXPECT_FALSE(c.find("request")->find("safetySettings"));
}

TEST(OAuthBuilders, GoogleRetryDelays) {
    EXPECT_EQ(parseGoDuration("1h43m56s"), 6236.0);
    EXPECT_NEAR(*parseGoDuration("373.8ms"), 0.3738, 1e-9);
    EXPECT_FALSE(parseGoDuration("soon"));
    const std::string retryInfo =
        R"({"error":{"details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","metadata":{"quotaResetDelay":"9s"}},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"0.847s"}]}})";
    EXPECT_EQ(googleRetryDelay(429, retryInfo), std::chrono::seconds(1));
    EXPECT_EQ(googleRetryDelay(429, R"({"error":{"message":"Your quota will reset after 1h43m56s."}})"),
              std::chrono::seconds(6236));
    EXPECT_FALSE(googleRetryDelay(503, retryInfo));
    EXPECT_FALSE(googleRetryDelay(429, R"({"error":{"message":"too many requests"}})"));
}

TEST(OAuthBuilders, KimiDropsThePrefixAndRepairsToolMessages) {
    const UpstreamCall call = buildUpstreamCall(requestFor(oauth_wire::kKimi, R"({"messages":[]})"));
    EXPECT_EQ(call.url, "http://127.0.0.1:9/v1/chat/completions");
    EXPECT_EQ(sdk::parseJson(call.body).find("model")->asString(), "k2.5");

    sdk::Value body = sdk::parseJson(R"({"messages":[
        {"role":"assistant","reasoning_content":"think","content":"","tool_calls":[{"id":"a"}]},
        {"role":"tool","content":"1"},
        {"role":"assistant","content":[{"type":"text","text":"x"}],"tool_calls":[{"id":"b"},{"id":"c"}]},
        {"role":"tool","content":"2"},
        {"role":"tool","call_id":"c","content":"3"}]})");
    repairKimiToolMessages(body);
    const auto& m = body.find("messages")->asArray();
    EXPECT_EQ(m[1].find("tool_call_id")->asString(), "a");
    EXPECT_EQ(m[2].find("reasoning_content")->asString(), "think") << "the latest earlier reasoning";
    EXPECT_FALSE(m[3].find("tool_call_id")) << "two calls pending: ambiguous, left alone";
    EXPECT_EQ(m[4].find("tool_call_id")->asString(), "c");
}

TEST(OAuthBuilders, PreviewVariantsComeFromTheCatalogue) {
    EXPECT_EQ(previewVariants("gemini-cli", "gemini-2.5-flash-lite"),
              std::vector<std::string>{"gemini-2.5-flash-lite-preview-06-17"});
    EXPECT_TRUE(previewVariants("gemini-cli", "gemini-3-pro-preview").empty());
    EXPECT_TRUE(previewVariants("gemini", "gemini-2.5-pro").empty());
}

}  // namespace
}  // namespace cpa::proxy::upstream
