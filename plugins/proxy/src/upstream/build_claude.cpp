// data-plane.md §7.4 Claude API keys (first version: no Claude Code emulation) and Claude
// OAuth tokens (oauth-executors.md §3.1: Bearer, the Claude Code headers of
// build_claude_oauth.cpp).
#include "upstream/header_list.hpp"
#include "upstream/request_builder.hpp"
#include "upstream/url.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/text.hpp>

#include <set>
#include <sstream>

namespace cpa::proxy::upstream {

using cpa::sdk::Value;

namespace {

constexpr const char* kDefaultBetas =
    "claude-code-20250219,oauth-2025-04-20,interleaved-thinking-2025-05-14,context-management-2025-06-27,"
    "prompt-caching-scope-2026-01-05,structured-outputs-2025-12-15,fast-mode-2026-02-01,"
    "redact-thinking-2026-02-12,token-efficient-tools-2026-03-28";

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

/// The body's `betas` (array of strings, or one string); removed from the body.
std::vector<std::string> takeBetas(Value& body) {
    std::vector<std::string> out;
    const Value* b = body.find("betas");
    if (!b) return out;
    if (b->isArray()) {
        for (const Value& item : b->asArray())
            if (item.isString() && !trim(item.asString()).empty()) out.push_back(trim(item.asString()));
    } else if (b->isString() && !trim(b->asString()).empty()) {
        out.push_back(trim(b->asString()));
    }
    body.erase("betas");
    return out;
}

std::string betaHeader(const std::string& clientValue, const std::vector<std::string>& extra) {
    std::string betas = kDefaultBetas;
    if (const std::string v = trim(clientValue); !v.empty()) {
        betas = v;
        if (v.find("oauth") == std::string::npos) betas += ",oauth-2025-04-20";
    }
    if (betas.find("interleaved-thinking") == std::string::npos) betas += ",interleaved-thinking-2025-05-14";
    std::set<std::string> seen;
    std::stringstream list(betas);
    for (std::string item; std::getline(list, item, ',');)
        if (!trim(item).empty()) seen.insert(trim(item));
    for (const auto& b : extra)
        if (seen.insert(b).second) betas += "," + b;
    return betas;
}

}  // namespace

UpstreamCall buildClaude(const ExecRequest& req) {
    const UpstreamCredential& cred = *req.credential;
    const std::string base = cred.baseUrl.empty() ? "https://api.anthropic.com" : cred.baseUrl;  // as configured
    UpstreamCall call;
    call.family = Family::Claude;
    call.url = base + (req.format == ClientFormat::ClaudeCountTokens ? "/v1/messages/count_tokens?beta=true"
                                                                      : "/v1/messages?beta=true");
    call.upstreamStreams = req.stream;
    call.useEnvironmentProxy = false;  // the original's Claude transport ignores HTTP(S)_PROXY
    call.decompress = !req.stream;

    std::vector<std::string> extraBetas;
    if (auto body = parseBody(req.body)) {
        extraBetas = takeBetas(*body);
        body->set("model", req.upstreamModel);
        call.body = cpa::sdk::toJson(*body);
    } else {
        call.body = req.body;
    }

    HeaderList& h = call.headers;
    const auto url = parseUrl(call.url);
    const bool anthropic = url && url->scheme == "https" && cpa::sdk::iequals(url->hostHeader(), "api.anthropic.com");
    if (anthropic && !cred.oauth) {
        setHeader(h, "x-api-key", cred.apiKey);
    } else {
        setHeader(h, "Authorization", "Bearer " + cred.apiKey);
    }
    setHeader(h, "Content-Type", "application/json");
    setHeader(h, "Anthropic-Beta", betaHeader(getHeader(req.clientHeaders, "Anthropic-Beta"), extraBetas));
    const std::string version = getHeader(req.clientHeaders, "Anthropic-Version");
    setHeader(h, "Anthropic-Version", version.empty() ? "2023-06-01" : version);
    if (cred.oauth) applyClaudeOAuthIdentity(h, req, anthropic);
    setHeader(h, "Connection", "keep-alive");
    if (req.stream) {
        setHeader(h, "Accept", "text/event-stream");
    } else {
        setHeader(h, "Accept", "application/json");
        // br and zstd are not decoded here (no decoder linked): not advertised.
        setHeader(h, "Accept-Encoding", "gzip, deflate");
    }
    if (cred.oauth) applyClaudeOAuthFingerprint(h, req);
    applyCustomHeaders(h, cred);
    if (req.stream) setHeader(h, "Accept-Encoding", "identity");  // SSE must stay uncompressed
    return call;
}

}  // namespace cpa::proxy::upstream
