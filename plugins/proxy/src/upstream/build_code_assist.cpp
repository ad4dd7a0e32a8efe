// Gemini CLI with an OAuth token (oauth-executors.md §3.3): the Cloud Code
// Assist API. The Gemini body (the client's own, or the gemini codec's
// translation) is normalised as for Gemini API keys, then wrapped:
// {"project","model","request":{…}}; count tokens sends {"request":{…}} only.
#include "upstream/header_list.hpp"
#include "upstream/request_builder.hpp"

#include <cpa/sdk/json.hpp>

#include <sys/utsname.h>

namespace cpa::proxy::upstream {

using cpa::sdk::Value;

namespace {

/// `(<os>; <arch>)` as the Gemini CLI names the host (Go names: linux, x64/x86/arm64).
std::string hostTag() {
    static const std::string tag = [] {
        utsname u{};
        std::string arch = "x64";
        if (uname(&u) == 0) {
            const std::string m = u.machine;
            arch = m == "x86_64" ? "x64" : (m == "i686" || m == "i386") ? "x86" : (m == "aarch64") ? "arm64" : m;
        }
        return "(linux; " + arch + ")";
    }();
    return tag;
}

Value envelope(Value request, const ExecRequest& req, bool countTokens) {
    request.erase("model");  // the envelope names the model; the inner request must not
    if (countTokens) {
        request.erase("safetySettings");
        return Value::object({{"request", std::move(request)}});
    }
    return Value::object({{"project", req.credential->project},
                          {"model", req.upstreamModel},
                          {"request", std::move(request)}});
}

}  // namespace

UpstreamCall buildCodeAssist(const ExecRequest& req) {
    const UpstreamCredential& cred = *req.credential;
    UpstreamCall call;
    call.family = Family::CodeAssist;
    const std::string action = geminiAction(req);
    const bool countTokens = action == "countTokens";
    const std::string base =
        cred.baseUrl.empty() ? "https://cloudcode-pa.googleapis.com" : stripOneTrailingSlash(cred.baseUrl);
    call.url = base + "/v1internal:" + action + geminiQuery(req, countTokens);
    call.upstreamStreams = req.stream && !countTokens;
    auto body = parseBody(req.body);
    if (!body) throw BuildError("the Gemini request body is not a JSON object");
    // Count tokens keeps tools and generation config here: Code Assist counts
    // the whole request (the original deletes only project, model, safety settings).
    normalizeGeminiBody(*body, req.upstreamModel, false);
    call.body = cpa::sdk::toJson(envelope(std::move(*body), req, countTokens));
    setHeader(call.headers, "Content-Type", "application/json");
    setHeader(call.headers, "Authorization", "Bearer " + cred.apiKey);
    setHeader(call.headers, "User-Agent", "GeminiCLI/0.31.0/" + req.upstreamModel + " " + hostTag());
    setHeader(call.headers, "X-Goog-Api-Client", "google-genai-sdk/1.41.0 gl-node/v22.19.0");
    setHeader(call.headers, "Accept", call.upstreamStreams ? "text/event-stream" : "application/json");
    applyCustomHeaders(call.headers, cred);
    return call;
}

}  // namespace cpa::proxy::upstream
