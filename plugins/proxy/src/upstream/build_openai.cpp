// data-plane.md §7.2 OpenAI-compatible providers, including the legacy completions body (§8.6).
#include "json/json_scan.hpp"
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

namespace {

/// The chat body with "model" (and for streams stream_options.include_usage)
/// edited in place, every other byte as the client sent it (the original's
/// sjson edits). nullopt: not a plain JSON object edit; the caller re-encodes.
std::optional<std::string> editChatBody(const ExecRequest& req) {
    auto out = setTopLevelMember(req.body, "model", jsonQuote(req.upstreamModel));
    if (!out || !req.stream) return out;
    static constexpr std::string_view kKey = "stream_options";
    JsonMember opts;
    if (!scanJsonObject(*out, &kKey, &opts, 1) || opts.count > 1) return std::nullopt;
    const std::string_view raw = std::string_view(*out).substr(opts.valueBegin, opts.valueEnd - opts.valueBegin);
    if (!opts.found() || raw.front() != '{') return setTopLevelMember(*out, kKey, R"({"include_usage":true})");
    auto inner = setTopLevelMember(raw, "include_usage", "true");
    if (!inner) return std::nullopt;
    return out->substr(0, opts.valueBegin) + *inner + out->substr(opts.valueEnd);
}

}  // namespace

UpstreamCall buildOpenAICompat(const ExecRequest& req) {
    const UpstreamCredential& cred = *req.credential;
    if (cred.baseUrl.empty()) throw BuildError("openai-compatibility provider has no base-url");
    const bool compact = req.format == ClientFormat::ResponsesCompact;
    UpstreamCall call;
    call.family = Family::OpenAICompat;
    const std::string_view base = std::string_view(cred.baseUrl).substr(
        0, cred.baseUrl.size() - (cred.baseUrl.back() == '/' ? 1 : 0));  // stripOneTrailingSlash without a copy
    const std::string_view path = compact ? "/responses/compact" : "/chat/completions";
    call.url.reserve(base.size() + path.size());
    call.url.append(base).append(path);
    call.upstreamStreams = req.stream;

    std::optional<std::string> edited;
    if (req.format == ClientFormat::OpenAIChat) edited = editChatBody(req);
    if (edited) {
        call.body = std::move(*edited);
    } else if (auto body = parseBody(req.body)) {
        if (req.format == ClientFormat::OpenAICompletions) body = completionsToChat(*body);
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

    call.headers.reserve(5 + cred.headers.size());  // one allocation for the usual list
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
