#include "upstream/request_builder.hpp"

#include "upstream/header_list.hpp"

#include <cpa/sdk/credential_sources.hpp>
#include <cpa/sdk/json.hpp>

namespace cpa::proxy::upstream {

std::optional<Family> familyOf(const UpstreamCredential& c) {
    const std::string_view wire = builderWire(c.wire);
    if (wire == cpa::sdk::wire::kOpenAIChat) return Family::OpenAICompat;
    if (wire == cpa::sdk::wire::kCodexResponses) return Family::Codex;
    if (wire == cpa::sdk::wire::kClaudeMessages) return Family::Claude;
    if (wire == cpa::sdk::wire::kGemini) return Family::Gemini;
    if (wire == cpa::sdk::wire::kVertex) return Family::Vertex;
    if (wire == oauth_wire::kCodeAssistBuilder) return Family::CodeAssist;
    if (wire == oauth_wire::kKimiBuilder) return Family::Kimi;
    if (wire == oauth_wire::kAntigravityBuilder) return Family::Antigravity;
    return std::nullopt;
}

UpstreamCall buildUpstreamCall(const ExecRequest& request) {
    if (!request.credential) throw BuildError("no credential for the upstream call");
    const auto family = familyOf(*request.credential);
    if (!family) throw BuildError("unsupported wire format " + request.credential->wire);
    switch (*family) {
        case Family::OpenAICompat: return buildOpenAICompat(request);
        case Family::Codex: return buildCodex(request);
        case Family::Claude: return buildClaude(request);
        case Family::Gemini: return buildGemini(request, false);
        case Family::Vertex: return buildGemini(request, true);
        case Family::CodeAssist: return buildCodeAssist(request);
        case Family::Kimi: return buildKimi(request);
        case Family::Antigravity: return buildAntigravity(request);
    }
    throw BuildError("unsupported credential family");
}

std::string geminiAction(const ExecRequest& req) {
    if (!req.geminiMethod.empty()) return req.geminiMethod;
    return req.stream ? "streamGenerateContent" : "generateContent";
}

std::string geminiQuery(const ExecRequest& req, bool countTokens) {
    if (req.stream && !countTokens) return req.geminiAlt.empty() ? "?alt=sse" : "?$alt=" + req.geminiAlt;
    if (!countTokens && !req.geminiAlt.empty()) return "?$alt=" + req.geminiAlt;
    return {};
}

std::optional<cpa::sdk::Value> parseBody(const std::string& body) {
    try {
        auto v = cpa::sdk::parseJson(body);
        if (v.isObject()) return v;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

std::string stripOneTrailingSlash(std::string url) {
    if (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

void applyCustomHeaders(HeaderList& headers, const UpstreamCredential& credential) {
    for (const auto& [k, v] : credential.headers) {
        if (k.empty() || v.empty()) continue;
        setHeader(headers, k, v);
    }
}

}  // namespace cpa::proxy::upstream
