// Antigravity with an OAuth token (oauth-executors.md §3.4): the Code
// Assist API of Gemini CLI with Antigravity's envelope, user agent and
// base URL. The Gemini body (the client's own, or the gemini codec's
// translation) is normalised as for Gemini API keys, then wrapped
// (antigravity_envelope.hpp). One call to one base URL: the fallback order
// and the retries are exec/antigravity_executor's.
#include "upstream/antigravity_envelope.hpp"
#include "upstream/header_list.hpp"
#include "upstream/request_builder.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/text.hpp>

namespace cpa::proxy::upstream {

UpstreamCall buildAntigravity(const ExecRequest& req) {
    const UpstreamCredential& cred = *req.credential;
    UpstreamCall call;
    call.family = Family::Antigravity;
    const std::string action = geminiAction(req);
    const bool countTokens = action == "countTokens";
    // Claude and some Gemini 3 models answer a non-stream call on the stream
    // path only: the events are merged into one answer (nonstream.cpp).
    const bool viaStream = !req.stream && !countTokens && antigravityNonStreamViaStream(req.upstreamModel);
    const std::string base =
        cred.baseUrl.empty() ? std::string(kAntigravityDailyBase) : stripOneTrailingSlash(cred.baseUrl);
    call.url = base + "/v1internal:" +
               (viaStream ? std::string("streamGenerateContent?alt=sse") : action + geminiQuery(req, countTokens));
    call.upstreamStreams = (req.stream && !countTokens) || viaStream;
    auto body = parseBody(req.body);
    if (!body) throw BuildError("the Gemini request body is not a JSON object");
    // Claude models check the thinking signatures they issued: those are kept.
    const bool claude = sdk::lowerAscii(req.upstreamModel).find("claude") != std::string::npos;
    normalizeGeminiBody(*body, req.upstreamModel, false, claude);
    call.body = cpa::sdk::toJson(countTokens ? antigravityCountEnvelope(std::move(*body))
                                             : antigravityEnvelope(std::move(*body), req.upstreamModel, cred.project));
    setHeader(call.headers, "Content-Type", "application/json");
    setHeader(call.headers, "Authorization", "Bearer " + cred.apiKey);
    setHeader(call.headers, "User-Agent", antigravityUserAgent(cred.userAgent));
    setHeader(call.headers, "Connection", "close");
    applyCustomHeaders(call.headers, cred);
    return call;
}

}  // namespace cpa::proxy::upstream
