#pragma once
// Gemini CLI auth files and Cloud Code Assist answers for the oauth-traffic
// suite (issue 21).
#include "oauth_traffic_support.hpp"

#include <string>

namespace cpa::test::oauth {

inline const std::string kGeminiModel = "gemini-2.5-pro";

/// A Gemini CLI file as the login writes it (the token under `token`);
/// `expiresIn` seconds from now (negative: expired).
inline std::string geminiFile(const std::string& access, std::int64_t expiresIn, const std::string& project = "proj-1",
                              const std::string& extra = "") {
    return R"({"auto":false,"checked":true,"email":"g@example.com","project_id":")" + project +
           R"(","token":{"access_token":")" + access +
           R"(","client_id":"file-client","client_secret":"file-secret","expiry":")" + rfc3339In(expiresIn) +
           R"(","refresh_token":"rt-g","token_type":"Bearer","token_uri":"https://oauth2.googleapis.com/token"},"type":"gemini")" +
           extra + "}\n";
}

/// Google's token endpoint answer.
inline UpstreamReply googleTokenReply(const std::string& access, int expiresIn = 3599) {
    UpstreamReply r;
    r.body = R"({"access_token":")" + access + R"(","expires_in":)" + std::to_string(expiresIn) +
             R"(,"scope":"https://www.googleapis.com/auth/cloud-platform","token_type":"Bearer"})";
    return r;
}

/// A Code Assist generateContent answer: the Gemini body under "response".
inline UpstreamReply codeAssistReply(const std::string& text = "hello") {
    UpstreamReply r;
    r.body = R"({"response":{"candidates":[{"content":{"role":"model","parts":[{"text":")" + text +
             R"("}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":2,"totalTokenCount":7},"modelVersion":"gemini-2.5-pro","responseId":"r-1"},"traceId":"t-1"})";
    return r;
}

/// Code Assist's quota answer.
inline UpstreamReply resourceExhausted() {
    UpstreamReply r;
    r.status = 429;
    r.body = R"({"error":{"code":429,"message":"You have exhausted your capacity on this model. Your quota will reset after 30s.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"30.5s"}]}})";
    return r;
}

inline HttpResponse geminiGenerate(const TrafficServer& s, const std::string& model = kGeminiModel,
                                   const std::string& method = "generateContent", const std::string& query = "") {
    return httpRequest(s.server->port(), "POST", "/v1beta/models/" + model + ":" + method + query, kClient,
                       R"({"contents":[{"role":"user","parts":[{"text":"hi"}]}]})");
}

inline HttpResponse chatCompletion(const TrafficServer& s, const std::string& model, bool stream = false) {
    return httpRequest(s.server->port(), "POST", "/v1/chat/completions", kClient,
                       R"({"model":")" + model + R"(","stream":)" + (stream ? "true" : "false") +
                           R"(,"messages":[{"role":"user","content":"hi"}]})");
}

/// The `project` of a Code Assist request body ("" when absent).
inline std::string sentProject(const UpstreamRequest& r) {
    const auto body = jsonObject(r.body);
    return body->has("project") ? body->getValue<std::string>("project") : "";
}

inline std::string sentModel(const UpstreamRequest& r) {
    const auto body = jsonObject(r.body);
    return body->has("model") ? body->getValue<std::string>("model") : "";
}

}  // namespace cpa::test::oauth
