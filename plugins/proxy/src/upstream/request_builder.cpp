#include "upstream/request_builder.hpp"

#include "upstream/header_list.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::upstream {

std::optional<Family> familyOf(const UpstreamCredential& c) {
    if (c.family == "openai-compatibility") return Family::OpenAICompat;
    if (c.family == "codex-api-key") return Family::Codex;
    if (c.family == "claude-api-key") return Family::Claude;
    if (c.family == "gemini-api-key") return Family::Gemini;
    if (c.family == "vertex-api-key") return Family::Vertex;
    return std::nullopt;
}

UpstreamCall buildUpstreamCall(const ExecRequest& request) {
    if (!request.credential) throw BuildError("no credential for the upstream call");
    const auto family = familyOf(*request.credential);
    if (!family) throw BuildError("unsupported credential family " + request.credential->family);
    switch (*family) {
        case Family::OpenAICompat: return buildOpenAICompat(request);
        case Family::Codex: return buildCodex(request);
        case Family::Claude: return buildClaude(request);
        case Family::Gemini: return buildGemini(request, false);
        case Family::Vertex: return buildGemini(request, true);
    }
    throw BuildError("unsupported credential family");
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
