#include "upstream/antigravity_collect.hpp"

#include "upstream/stream_framer.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/text.hpp>

namespace cpa::proxy::upstream {

using cpa::sdk::Value;

namespace {

std::string stringAt(const Value* v) { return v && v->isString() ? v->asString() : std::string(); }

const Value* firstCandidate(const Value& response) {
    const Value* c = response.find("candidates");
    return c && c->isArray() && !c->asArray().empty() ? &c->asArray().front() : nullptr;
}

/// `thought_signature` / `inline_data` under their camel-case names.
Value normalizedPart(Value part) {
    if (const Value* s = part.find("thought_signature")) {
        if (!part.contains("thoughtSignature") && s->isString() && !s->asString().empty())
            part.set("thoughtSignature", *s);
        part.erase("thought_signature");
    }
    if (const Value* d = part.find("inline_data")) {
        part.set("inlineData", *d);
        part.erase("inline_data");
    }
    return part;
}

}  // namespace

void AntigravityCollector::flushPending() {
    if (pendingKind_.empty()) return;
    const bool blank = sdk::trimAscii(pendingText_).empty();
    if (pendingKind_ == "text" && !blank) {
        parts_.push(Value::object({{"text", pendingText_}}));
    } else if (pendingKind_ == "thought" && (!blank || !pendingSignature_.empty())) {
        Value part = Value::object({{"thought", true}, {"text", pendingText_}});
        if (!pendingSignature_.empty()) part.set("thoughtSignature", pendingSignature_);
        parts_.push(std::move(part));
    }
    pendingKind_.clear();
    pendingText_.clear();
    pendingSignature_.clear();
}

void AntigravityCollector::line(std::string_view line) {
    std::string_view payload;
    if (!dataPayload(line, payload)) payload = line;  // the original also takes bare JSON lines
    Value root;
    try {
        root = cpa::sdk::parseJson(payload);
    } catch (const std::exception&) {
        return;
    }
    const Value* response = root.find("response");
    if (!response || !response->isObject()) {
        if (!root.contains("candidates")) return;
        response = &root;
    }
    template_ = *response;
    if (std::string t = stringAt(root.find("traceId")); !t.empty()) traceId_ = t;
    if (const Value* u = response->find("usageMetadata")) usage_ = *u;
    else if (const Value* ru = root.find("usageMetadata")) usage_ = *ru;
    if (std::string v = stringAt(response->find("modelVersion")); !v.empty()) modelVersion_ = v;
    if (std::string v = stringAt(response->find("responseId")); !v.empty()) responseId_ = v;
    const Value* candidate = firstCandidate(*response);
    if (!candidate) return;
    if (std::string f = stringAt(candidate->find("finishReason")); !f.empty()) finishReason_ = f;
    const Value* content = candidate->find("content");
    if (!content) return;
    if (const Value* r = content->find("role"); r && r->isString()) role_ = r->asString();
    const Value* parts = content->find("parts");
    if (!parts || !parts->isArray()) return;
    for (const Value& part : parts->asArray()) {
        if (!part.isObject()) continue;
        if (part.contains("functionCall") || part.contains("inlineData") || part.contains("inline_data")) {
            flushPending();
            parts_.push(normalizedPart(part));
            continue;
        }
        const Value* thought = part.find("thought");
        const bool isThought = thought && thought->isBool() && thought->asBool();
        if (isThought || part.contains("text")) {
            const std::string kind = isThought ? "thought" : "text";
            if (!pendingKind_.empty() && pendingKind_ != kind) flushPending();
            pendingKind_ = kind;
            pendingText_ += stringAt(part.find("text"));
            std::string signature = stringAt(part.find("thoughtSignature"));
            if (signature.empty()) signature = stringAt(part.find("thought_signature"));
            if (isThought && !signature.empty()) pendingSignature_ = signature;
            continue;
        }
        flushPending();
        parts_.push(normalizedPart(part));
    }
}

std::string AntigravityCollector::body() {
    flushPending();
    Value response = template_ ? *template_
                               : cpa::sdk::parseJson(R"({"candidates":[{"content":{"role":"model","parts":[]}}]})");
    Value* candidates = response.find("candidates");
    if (!candidates || !candidates->isArray() || candidates->asArray().empty()) {
        response.set("candidates", Value::array());
        candidates = response.find("candidates");
        candidates->push(Value::object());
    }
    Value& candidate = candidates->asArray().front();
    Value& content = candidate["content"];
    content.set("parts", parts_);
    if (!role_.empty()) content.set("role", role_);
    if (!finishReason_.empty()) candidate.set("finishReason", finishReason_);
    if (!modelVersion_.empty()) response.set("modelVersion", modelVersion_);
    if (!responseId_.empty()) response.set("responseId", responseId_);
    if (usage_) {
        response.set("usageMetadata", *usage_);
    } else if (!response.contains("usageMetadata")) {
        response.set("usageMetadata", Value::object({{"promptTokenCount", 0},
                                                     {"candidatesTokenCount", 0},
                                                     {"totalTokenCount", 0}}));
    }
    return cpa::sdk::toJson(Value::object({{"response", std::move(response)}, {"traceId", traceId_}}));
}

}  // namespace cpa::proxy::upstream
