// Framing for OpenAI chat / legacy completions and Claude clients (data-plane.md §8.2, §8.6).
#include "json/needle_finder.hpp"
#include "upstream/stream_framer.hpp"
#include "upstream/usage.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::upstream {

using cpa::sdk::Value;

std::unique_ptr<StreamFramer> makeGeminiFramer(bool vertex, bool altMode);
std::unique_ptr<StreamFramer> makeResponsesFramer();
std::unique_ptr<StreamFramer> makeCodeAssistFramer(bool altMode);

namespace {

/// Cheap pre-check before parsing a chunk: `"usage"` followed by an object
/// (so the `"usage":null` of every OpenAI chunk costs no parse).
bool mentionsUsageObject(std::string_view payload) {
    static const NeedleFinder kUsage("\"usage\"");
    for (auto pos = kUsage.find(payload); pos != std::string_view::npos; pos = kUsage.find(payload, pos + 1)) {
        std::size_t i = pos + kUsage.size();
        while (i < payload.size() && (payload[i] == ' ' || payload[i] == ':' || payload[i] == '\t')) ++i;
        if (i < payload.size() && payload[i] == '{') return true;
    }
    return false;
}

std::optional<Value> parseIfMentionsUsage(std::string_view payload) {
    if (!mentionsUsageObject(payload)) return std::nullopt;
    try {
        return cpa::sdk::parseJson(payload);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

/// OpenAI chat: data payloads re-framed as `data: <payload>\n\n`, own [DONE] at the end.
class ChatFramer : public StreamFramer {
public:
    explicit ChatFramer(bool completions) : completions_(completions) {}

    void line(std::string_view line, EventQueue& out) override {
        std::string_view payload;
        if (!dataPayload(line, payload) || payload.empty() || payload == "[DONE]") return;
        if (!usage.present) {
            if (auto doc = parseIfMentionsUsage(payload))
                if (const Value* u = findUsageObject(*doc, "usage")) usage = usageFromOpenAI(*u);
        }
        if (completions_) {
            std::string converted = chatChunkToCompletion(payload);
            if (!converted.empty()) out.push_back("data: " + converted + "\n\n");
            return;
        }
        out.next().append("data: ").append(payload).append("\n\n");  // reuses a queue slot
    }
    void finish(EventQueue& out) override { out.emplace_back("data: [DONE]\n\n"); }

private:
    bool completions_;
};

/// Claude: every line verbatim plus "\n"; one client write per upstream event
/// (lines up to and including the blank delimiter), so keep-alives can only
/// fall between events.
class ClaudeFramer : public StreamFramer {
public:
    void line(std::string_view line, EventQueue& out) override {
        pending_.append(line).push_back('\n');
        if (!line.empty()) {
            std::string_view payload;
            if (!usage.present && dataPayload(line, payload)) {
                if (auto doc = parseIfMentionsUsage(payload))
                    if (const Value* u = findUsageObject(*doc, "usage")) usage = usageFromClaude(*u);
            }
            return;
        }
        out.push_back(std::move(pending_));
        pending_.clear();
    }
    void finish(EventQueue& out) override { flushBeforeError(out); }
    void flushBeforeError(EventQueue& out) override {
        if (!pending_.empty()) out.push_back(std::move(pending_));
        pending_.clear();
    }

private:
    std::string pending_;
};

}  // namespace

std::unique_ptr<StreamFramer> makeFramer(ClientFormat format, Family family, bool geminiAltMode) {
    switch (format) {
        case ClientFormat::OpenAIChat: return std::make_unique<ChatFramer>(false);
        case ClientFormat::OpenAICompletions: return std::make_unique<ChatFramer>(true);
        case ClientFormat::Claude:
        case ClientFormat::ClaudeCountTokens: return std::make_unique<ClaudeFramer>();
        case ClientFormat::Gemini:
            if (codeAssistEnvelope(family)) return makeCodeAssistFramer(geminiAltMode);
            return makeGeminiFramer(family == Family::Vertex, geminiAltMode);
        case ClientFormat::Responses:
        case ClientFormat::ResponsesCompact: return makeResponsesFramer();
    }
    return std::make_unique<ChatFramer>(false);
}

}  // namespace cpa::proxy::upstream
