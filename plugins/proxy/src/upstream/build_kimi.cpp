// Kimi with an OAuth token (oauth-executors.md §3.5, the OpenAI path):
// `{oauth-upstreams.kimi}/v1/chat/completions`, the model without its `kimi-`
// prefix, usage asked for on streams, tool messages linked to their calls.
#include "upstream/header_list.hpp"
#include "upstream/request_builder.hpp"

#include <cpa/sdk/json.hpp>

#include <unistd.h>

#include <algorithm>

namespace cpa::proxy::upstream {

using cpa::sdk::Value;

namespace {

std::string kimiModel(const std::string& model) {
    std::string lower = model.substr(0, 5);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return lower == "kimi-" ? model.substr(5) : model;
}

std::string blankTrimmed(const Value* v) {
    if (!v || !v->isString()) return {};
    const std::string& s = v->asString();
    const auto b = s.find_first_not_of(" \t\r\n");
    return b == std::string::npos ? std::string() : s;
}

/// A message's text: the string content, or its text parts joined by "\n".
std::string contentText(const Value& message) {
    const Value* c = message.find("content");
    if (!c) return {};
    if (c->isString()) return blankTrimmed(c);
    std::string out;
    if (c->isArray())
        for (const Value& part : c->asArray())
            if (const std::string t = blankTrimmed(part.find("text")); !t.empty()) out += (out.empty() ? "" : "\n") + t;
    return out;
}

}  // namespace

/// oauth-executors.md §3.5 tool-message repair: Kimi rejects an assistant tool call without
/// reasoning_content and a tool result without its call id.
void repairKimiToolMessages(Value& body) {
    Value* messages = body.find("messages");
    if (!messages || !messages->isArray()) return;
    std::string lastReasoning;
    std::vector<std::string> pending;
    for (Value& m : messages->asArray()) {
        if (!m.isObject()) continue;
        const Value* role = m.find("role");
        const std::string r = role && role->isString() ? role->asString() : "";
        if (const std::string own = blankTrimmed(m.find("reasoning_content")); !own.empty()) lastReasoning = own;
        const Value* calls = m.find("tool_calls");
        if (r == "assistant" && calls && calls->isArray() && !calls->asArray().empty()) {
            if (blankTrimmed(m.find("reasoning_content")).empty()) {
                std::string fill = !lastReasoning.empty() ? lastReasoning : contentText(m);
                m.set("reasoning_content", fill.empty() ? "[reasoning unavailable]" : fill);
            }
            for (const Value& call : calls->asArray())
                if (const std::string id = blankTrimmed(call.find("id")); !id.empty()) pending.push_back(id);
        } else if (r == "tool") {
            std::string id = blankTrimmed(m.find("tool_call_id"));
            if (id.empty()) id = blankTrimmed(m.find("call_id"));
            if (id.empty() && pending.size() == 1) id = pending.front();
            if (!id.empty() && blankTrimmed(m.find("tool_call_id")).empty()) m.set("tool_call_id", id);
            std::erase(pending, id);
        }
    }
}

UpstreamCall buildKimi(const ExecRequest& req) {
    const UpstreamCredential& cred = *req.credential;
    UpstreamCall call;
    call.family = Family::Kimi;
    const std::string base = cred.baseUrl.empty() ? "https://api.kimi.com/coding" : stripOneTrailingSlash(cred.baseUrl);
    call.url = base + "/v1/chat/completions";
    call.upstreamStreams = req.stream;
    auto body = parseBody(req.body);
    if (!body) throw BuildError("the chat request body is not a JSON object");
    if (req.format == ClientFormat::OpenAICompletions) body = completionsToChat(*body);
    body->set("model", kimiModel(req.upstreamModel));
    if (req.stream) {
        Value* opts = body->find("stream_options");
        if (!opts || !opts->isObject()) body->set("stream_options", Value::object());
        body->find("stream_options")->set("include_usage", true);
    }
    repairKimiToolMessages(*body);
    call.body = cpa::sdk::toJson(*body);
    static const std::string host = [] {
        char h[256] = {};
        return gethostname(h, sizeof h - 1) == 0 ? std::string(h) : std::string("unknown");
    }();
    setHeader(call.headers, "Content-Type", "application/json");
    setHeader(call.headers, "Authorization", "Bearer " + cred.apiKey);
    setHeader(call.headers, "User-Agent", "KimiCLI/1.10.6");
    setHeader(call.headers, "X-Msh-Platform", "kimi_cli");
    setHeader(call.headers, "X-Msh-Version", "1.10.6");
    setHeader(call.headers, "X-Msh-Device-Name", host);
    setHeader(call.headers, "X-Msh-Device-Model", "linux amd64");
    setHeader(call.headers, "X-Msh-Device-Id", cred.deviceId.empty() ? "cli-proxy-api-device" : cred.deviceId);
    setHeader(call.headers, "Accept", req.stream ? "text/event-stream" : "application/json");
    applyCustomHeaders(call.headers, cred);
    return call;
}

}  // namespace cpa::proxy::upstream
