// Framing for Gemini clients (Gemini / Vertex upstream) and Responses
// clients (Codex upstream), data-plane.md §8.2.
#include "upstream/stream_framer.hpp"
#include "upstream/usage.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::upstream {

using cpa::sdk::Value;

namespace {

std::string_view trimView(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

bool hasFinishReason(const Value& chunk) {
    const Value* c = chunk.find("candidates");
    if (!c || !c->isArray() || c->asArray().empty()) return false;
    const Value* r = c->asArray()[0].find("finishReason");
    return r && r->isString() && !r->asString().empty();
}

class GeminiFramer : public StreamFramer {
public:
    GeminiFramer(bool vertex, bool alt) : vertex_(vertex), alt_(alt) {}

    void line(std::string_view line, EventQueue& out) override {
        std::string_view chunk = trimView(line);
        if (chunk.substr(0, 5) == "data:") chunk = trimView(chunk.substr(5));
        if (vertex_ ? (chunk.empty() || chunk == "[DONE]") : (chunk.empty() || chunk.front() != '{')) return;
        std::string text(chunk);
        const bool mentionsUsage = text.find("usageMetadata") != std::string::npos ||
                                   text.find("usage_metadata") != std::string::npos;
        if (mentionsUsage) {
            try {
                Value doc = cpa::sdk::parseJson(text);
                // The original's API-key quirk: intermediate chunks carry the
                // usage under another name, so only the final one counts.
                if (!vertex_ && doc.find("usageMetadata") && !hasFinishReason(doc)) {
                    for (auto& m : doc.asObject())
                        if (m.first == "usageMetadata") m.first = "cpaUsageMetadata";
                    text = cpa::sdk::toJson(doc);
                } else if (!usage.present) {
                    const Value* u = findUsageObject(doc, "usageMetadata");
                    if (!u) u = findUsageObject(doc, "usage_metadata");
                    if (u) usage = usageFromGemini(*u);
                }
            } catch (const std::exception&) {
                // forwarded as is
            }
        }
        out.push_back(alt_ ? text : "data: " + text + "\n\n");
    }
    void finish(EventQueue&) override {}

private:
    bool vertex_, alt_;
};

/// Rebuilds `event:` + `data:` frames, each terminated by "\n\n"; a single
/// "\n" at the normal end.
class ResponsesFramer : public StreamFramer {
public:
    void line(std::string_view line, EventQueue& out) override {
        if (line.empty() || trimView(line).empty()) {
            emit(out);
            return;
        }
        if (line.substr(0, 6) == "event:") {
            if (pendingHasData_) emit(out);
            if (!pending_.empty()) pending_.push_back('\n');
            pending_.append(line);
            return;
        }
        std::string_view payload;
        if (!dataPayload(line, payload)) return;  // comments, id:, retry: are dropped
        if (payload != "[DONE]") {
            try {
                Value doc = cpa::sdk::parseJson(payload);
                observe(doc);
            } catch (const std::exception&) {
                fatalStatus = 502;
                fatalMessage = "invalid JSON in upstream stream";
                return;
            }
        }
        if (!pending_.empty()) pending_.push_back('\n');
        pending_.append("data: ").append(payload);
        pendingHasData_ = true;
        if (payload != "[DONE]") emit(out);  // valid JSON completes the frame; [DONE] waits for the delimiter
    }
    void finish(EventQueue& out) override {
        emit(out);
        out.emplace_back("\n");
    }
    void flushBeforeError(EventQueue& out) override {
        if (pendingHasData_) emit(out);
        pending_.clear();
    }

private:
    void emit(EventQueue& out) {
        if (pending_.empty()) return;
        pending_.append("\n\n");
        out.push_back(std::move(pending_));
        pending_.clear();
        pendingHasData_ = false;
    }
    void observe(const Value& doc) {
        if (usage.present) return;
        const Value* type = doc.find("type");
        if (!type || !type->isString() || type->asString() != "response.completed") return;
        if (const Value* r = doc.find("response"))
            if (const Value* u = findUsageObject(*r, "usage")) usage = usageFromResponses(*u);
    }

    std::string pending_;
    bool pendingHasData_{};
};

/// Gemini clients of a Gemini CLI credential: each Code Assist chunk
/// {"response":{…}} loses its envelope (oauth-executors.md §3.3), then is
/// framed as Vertex chunks are (the first usage seen counts, oauth-executors.md §3.3).
class CodeAssistFramer : public StreamFramer {
public:
    explicit CodeAssistFramer(bool alt) : inner_(true, alt) {}
    void line(std::string_view line, EventQueue& out) override {
        std::string_view chunk = trimView(line);
        if (chunk.substr(0, 5) == "data:") chunk = trimView(chunk.substr(5));
        if (chunk.empty() || chunk.front() != '{') return;
        std::string text(chunk);
        try {
            const Value doc = cpa::sdk::parseJson(text);
            if (const Value* r = doc.find("response"); r && r->isObject()) text = cpa::sdk::toJson(*r);
        } catch (const std::exception&) {
            // forwarded as is
        }
        inner_.line(text, out);
        usage = inner_.usage;
    }
    void finish(EventQueue& out) override { inner_.finish(out); }

private:
    GeminiFramer inner_;
};

}  // namespace

std::unique_ptr<StreamFramer> makeCodeAssistFramer(bool altMode) { return std::make_unique<CodeAssistFramer>(altMode); }

std::unique_ptr<StreamFramer> makeGeminiFramer(bool vertex, bool altMode) {
    return std::make_unique<GeminiFramer>(vertex, altMode);
}
std::unique_ptr<StreamFramer> makeResponsesFramer() { return std::make_unique<ResponsesFramer>(); }

}  // namespace cpa::proxy::upstream
