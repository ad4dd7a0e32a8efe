// data-plane.md §7.3 Codex API keys and ChatGPT OAuth tokens (oauth-executors.md §3.2):
// Responses body normalisation; the upstream always streams.
#include "upstream/header_list.hpp"
#include "upstream/request_builder.hpp"

#include <cpa/sdk/json.hpp>

#include <Poco/UUIDGenerator.h>

namespace cpa::proxy::upstream {

using cpa::sdk::Value;

namespace {

constexpr const char* kCodexUserAgent =
    "codex-tui/0.118.0 (Mac OS 26.3.1; arm64) iTerm.app/3.6.9 (codex-tui; 0.118.0)";

bool endsWith(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

void normalizeInstructions(Value& body) {
    const Value* ins = body.find("instructions");
    if (!ins || ins->isNull()) body.set("instructions", "");
}

/// The image tool is appended unless present or the model is a "spark" one.
/// `disable-image-generation` defaults to false (tool appended); ExecRequest
/// does not carry the setting yet, so the default applies.
void imageToolRule(Value& body, const std::string& model) {
    if (endsWith(model, "spark")) return;
    Value tool = Value::object({{"type", "image_generation"}, {"output_format", "png"}});
    Value* tools = body.find("tools");
    if (!tools || !tools->isArray()) {
        body.set("tools", Value(Value::Array{tool}));
        return;
    }
    for (const Value& t : tools->asArray()) {
        if (const Value* type = t.find("type"); type && type->isString() && type->asString() == "image_generation")
            return;
    }
    tools->push(tool);
}

void normalizeFull(Value& body, const std::string& model) {
    if (const Value* input = body.find("input"); input && input->isString()) {
        Value part = Value::object({{"type", "input_text"}, {"text", input->asString()}});
        Value msg = Value::object({{"type", "message"}, {"role", "user"}, {"content", Value(Value::Array{part})}});
        body.set("input", Value(Value::Array{msg}));
    }
    body.set("stream", true);
    body.set("store", false);
    body.set("parallel_tool_calls", true);
    body.set("include", Value(Value::Array{Value("reasoning.encrypted_content")}));
    for (const char* k : {"max_output_tokens", "max_completion_tokens", "temperature", "top_p", "truncation",
                          "context_management", "user", "previous_response_id", "prompt_cache_retention",
                          "safety_identifier", "stream_options"})
        body.erase(k);
    if (const Value* tier = body.find("service_tier"); tier && !(tier->isString() && tier->asString() == "priority"))
        body.erase("service_tier");
    if (Value* input = body.find("input"); input && input->isArray()) {
        for (Value& item : input->asArray()) {
            if (Value* role = item.find("role"); role && role->isString() && role->asString() == "system")
                *role = Value("developer");
        }
    }
    if (Value* tools = body.find("tools"); tools && tools->isArray()) {
        for (Value& tool : tools->asArray()) {
            if (Value* t = tool.find("type"); t && t->isString() && t->asString().rfind("web_search_preview", 0) == 0)
                *t = Value("web_search");
        }
    }
    normalizeInstructions(body);
    imageToolRule(body, model);
}

}  // namespace

UpstreamCall buildCodex(const ExecRequest& req) {
    const UpstreamCredential& cred = *req.credential;
    if (cred.baseUrl.empty()) throw BuildError("codex-api-key has no base-url");
    const bool compact = req.format == ClientFormat::ResponsesCompact;
    UpstreamCall call;
    call.family = Family::Codex;
    call.url = stripOneTrailingSlash(cred.baseUrl) + (compact ? "/responses/compact" : "/responses");
    call.upstreamStreams = !compact;

    std::string promptCacheKey;
    if (auto body = parseBody(req.body)) {
        if (const Value* k = body->find("prompt_cache_key"); k && k->isString()) promptCacheKey = k->asString();
        body->set("model", req.upstreamModel);
        if (compact) {
            body->erase("stream");
            normalizeInstructions(*body);
            imageToolRule(*body, req.upstreamModel);
        } else {
            normalizeFull(*body, req.upstreamModel);
        }
        call.body = cpa::sdk::toJson(*body);
    } else {
        call.body = req.body;
    }

    HeaderList& h = call.headers;
    setHeader(h, "Content-Type", "application/json");
    setHeader(h, "Authorization", "Bearer " + cred.apiKey);
    setHeader(h, "Accept", compact ? "application/json" : "text/event-stream");
    setHeader(h, "Connection", "Keep-Alive");
    for (const char* name : {"X-Codex-Beta-Features", "Version", "X-Codex-Turn-Metadata", "X-Client-Request-Id",
                             "Originator"}) {
        if (auto v = getHeader(req.clientHeaders, name); !v.empty()) setHeader(h, name, v);
    }
    // ChatGPT OAuth (oauth-executors.md §3.2): Originator defaults to the
    // Codex CLI's; Chatgpt-Account-Id comes with the credential's headers.
    if (cred.oauth && !hasHeader(h, "Originator")) setHeader(h, "Originator", "codex-tui");
    const std::string clientUa = getHeader(req.clientHeaders, "User-Agent");
    setHeader(h, "User-Agent", clientUa.empty() ? kCodexUserAgent : clientUa);
    if (!promptCacheKey.empty()) setHeader(h, "Session_id", promptCacheKey);
    const std::string clientSession = getHeader(req.clientHeaders, "Session_id");
    if (!clientSession.empty()) {
        if (!hasHeader(h, "Session_id")) setHeader(h, "Session_id", clientSession);
    } else if (getHeader(h, "User-Agent").find("Mac OS") != std::string::npos && !hasHeader(h, "Session_id")) {
        setHeader(h, "Session_id", Poco::UUIDGenerator::defaultGenerator().createRandom().toString());
    }
    applyCustomHeaders(h, cred);
    return call;
}

}  // namespace cpa::proxy::upstream
