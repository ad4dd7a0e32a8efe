// §7.2 OpenAI-compatible providers, including the legacy completions body (§8.6).
#include "upstream/header_list.hpp"
#include "upstream/request_builder.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::upstream {

using cpa::sdk::Value;

Value completionsToChat(const Value& in) {
    std::string prompt;
    if (const Value* p = in.find("prompt"); p && p->isString()) prompt = p->asString();
    if (prompt.empty()) prompt = "Complete this:";
    Value out = Value::object();
    out.set("model", in.find("model") ? *in.find("model") : Value(""));
    Value message = Value::object({{"role", "user"}, {"content", prompt}});
    out.set("messages", Value(Value::Array{message}));
    const auto copyIf = [&](const char* key, bool (Value::*test)() const) {
        if (const Value* v = in.find(key); v && (v->*test)()) out.set(key, *v);
    };
    copyIf("max_tokens", &Value::isNumber);
    copyIf("temperature", &Value::isNumber);
    copyIf("top_p", &Value::isNumber);
    copyIf("frequency_penalty", &Value::isNumber);
    copyIf("presence_penalty", &Value::isNumber);
    if (const Value* v = in.find("stop"); v && !v->isNull()) out.set("stop", *v);
    copyIf("stream", &Value::isBool);
    copyIf("logprobs", &Value::isBool);
    copyIf("echo", &Value::isBool);
    copyIf("top_logprobs", &Value::isNumber);
    return out;
}

UpstreamCall buildOpenAICompat(const ExecRequest& req) {
    const UpstreamCredential& cred = *req.credential;
    if (cred.baseUrl.empty()) throw BuildError("openai-compatibility provider has no base-url");
    const bool compact = req.format == ClientFormat::ResponsesCompact;
    UpstreamCall call;
    call.family = Family::OpenAICompat;
    call.url = stripOneTrailingSlash(cred.baseUrl) + (compact ? "/responses/compact" : "/chat/completions");
    call.upstreamStreams = req.stream;

    auto body = parseBody(req.body);
    if (body && req.format == ClientFormat::OpenAICompletions) body = completionsToChat(*body);
    if (body) {
        body->set("model", req.upstreamModel);
        if (compact) body->erase("stream");
        if (req.stream) {
            Value* opts = body->find("stream_options");
            if (!opts || !opts->isObject()) {
                body->set("stream_options", Value::object());
                opts = body->find("stream_options");
            }
            opts->set("include_usage", true);
        }
        call.body = cpa::sdk::toJson(*body);
    } else {
        call.body = req.body;
    }

    setHeader(call.headers, "Content-Type", "application/json");
    if (!cred.apiKey.empty()) setHeader(call.headers, "Authorization", "Bearer " + cred.apiKey);
    setHeader(call.headers, "User-Agent", "cli-proxy-openai-compat");
    applyCustomHeaders(call.headers, cred);
    if (req.stream) {  // after the custom headers: they cannot override these
        setHeader(call.headers, "Accept", "text/event-stream");
        setHeader(call.headers, "Cache-Control", "no-cache");
    }
    return call;
}

}  // namespace cpa::proxy::upstream
