// data-plane.md §7.5 Gemini API keys and §7.6 Vertex API keys: URL, alt handling and the
// Gemini→Gemini body normalisation.
#include "upstream/header_list.hpp"
#include "upstream/request_builder.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::upstream {

using cpa::sdk::Value;

namespace {

/// Renames an object member in place (keeps its position); no-op when absent.
void rename(Value& obj, std::string_view from, const std::string& to) {
    if (!obj.isObject() || !obj.find(from) || obj.find(to)) return;
    for (auto& member : obj.asObject())
        if (member.first == from) member.first = to;
}

bool isString(const Value* v, std::string_view s) { return v && v->isString() && v->asString() == s; }

void normalizeContents(Value& body, bool keepThoughtSignatures) {
    Value* contents = body.find("contents");
    if (!contents || !contents->isArray()) return;
    std::string previous;
    std::vector<std::string> lastCallNames;  // functionCall names of the latest model turn
    for (Value& turn : contents->asArray()) {
        if (!turn.isObject()) continue;
        Value* role = turn.find("role");
        if (!isString(role, "user") && !isString(role, "model")) {
            turn.set("role", previous == "user" ? "model" : "user");
            role = turn.find("role");
        }
        previous = role->asString();
        Value* parts = turn.find("parts");
        if (!parts || !parts->isArray()) continue;
        if (previous == "model") {
            lastCallNames.clear();
            for (Value& part : parts->asArray()) {
                if (!part.isObject()) continue;
                if (const Value* call = part.find("functionCall"))
                    if (const Value* n = call->find("name"); n && n->isString()) lastCallNames.push_back(n->asString());
                if (!keepThoughtSignatures && (part.find("functionCall") || part.find("thoughtSignature")))
                    part.set("thoughtSignature", "skip_thought_signature_validator");
            }
        } else {
            std::size_t index = 0;
            for (Value& part : parts->asArray()) {
                Value* response = part.isObject() ? part.find("functionResponse") : nullptr;
                if (!response || !response->isObject()) continue;
                const Value* name = response->find("name");
                if ((!name || (name->isString() && name->asString().empty())) && index < lastCallNames.size())
                    response->set("name", lastCallNames[index]);
                ++index;
            }
        }
    }
}

Value defaultSafetySettings() {
    Value list = Value::array();
    for (const char* c : {"HARM_CATEGORY_HARASSMENT", "HARM_CATEGORY_HATE_SPEECH", "HARM_CATEGORY_SEXUALLY_EXPLICIT",
                          "HARM_CATEGORY_DANGEROUS_CONTENT"})
        list.push(Value::object({{"category", c}, {"threshold", "OFF"}}));
    list.push(Value::object({{"category", "HARM_CATEGORY_CIVIC_INTEGRITY"}, {"threshold", "BLOCK_NONE"}}));
    return list;
}

}  // namespace

void normalizeGeminiBody(Value& body, const std::string& model, bool countTokens, bool keepThoughtSignatures) {
    if (Value* tools = body.find("tools"); tools && tools->isArray()) {
        for (Value& tool : tools->asArray()) {
            rename(tool, "functionDeclarations", "function_declarations");
            if (Value* decls = tool.find("function_declarations"); decls && decls->isArray())
                for (Value& d : decls->asArray()) rename(d, "parameters", "parametersJsonSchema");
        }
    }
    normalizeContents(body, keepThoughtSignatures);
    if (Value* gc = body.find("generationConfig")) rename(*gc, "responseSchema", "responseJsonSchema");
    if (!body.find("safetySettings")) body.set("safetySettings", defaultSafetySettings());
    body.set("model", model);
    body.erase("session_id");
    if (countTokens) {
        body.erase("tools");
        body.erase("generationConfig");
        body.erase("safetySettings");
    }
}

UpstreamCall buildGemini(const ExecRequest& req, bool vertex) {
    const UpstreamCredential& cred = *req.credential;
    UpstreamCall call;
    call.family = vertex ? Family::Vertex : Family::Gemini;
    const std::string action = geminiAction(req);
    const bool countTokens = action == "countTokens";
    if (vertex) {
        const std::string base = cred.baseUrl.empty() ? "https://aiplatform.googleapis.com" : cred.baseUrl;
        call.url = base + "/v1/publishers/google/models/" + req.upstreamModel + ":" + action;
    } else {
        const std::string base =
            cred.baseUrl.empty() ? "https://generativelanguage.googleapis.com" : stripOneTrailingSlash(cred.baseUrl);
        call.url = base + "/v1beta/models/" + req.upstreamModel + ":" + action;
    }
    call.url += geminiQuery(req, countTokens);
    call.upstreamStreams = req.stream && !countTokens;

    if (auto body = parseBody(req.body)) {
        normalizeGeminiBody(*body, req.upstreamModel, countTokens);
        call.body = cpa::sdk::toJson(*body);
    } else {
        call.body = req.body;
    }
    setHeader(call.headers, "x-goog-api-key", cred.apiKey);
    setHeader(call.headers, "Content-Type", "application/json");
    applyCustomHeaders(call.headers, cred);
    return call;
}

}  // namespace cpa::proxy::upstream
