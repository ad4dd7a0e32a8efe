#include "upstream/translation.hpp"

#include <cpa/sdk/credential_sources.hpp>
#include <cpa/sdk/json.hpp>

#include <algorithm>

namespace cpa::proxy::upstream {

using translate::Format;
using translate::codecFor;

std::optional<Format> translatableFormat(ClientFormat format) {
    switch (format) {
        case ClientFormat::OpenAIChat:
        case ClientFormat::OpenAICompletions: return Format::OpenAIChat;
        case ClientFormat::Responses: return Format::Responses;
        case ClientFormat::Claude:
        case ClientFormat::ClaudeCountTokens: return Format::Claude;
        case ClientFormat::Gemini: return Format::Gemini;
        case ClientFormat::ResponsesCompact: return std::nullopt;  // a Codex-only endpoint
    }
    return std::nullopt;
}

std::optional<Format> wireFormat(std::string_view wireName) {
    const std::string_view wire = builderWire(wireName);
    if (wire == sdk::wire::kOpenAIChat || wire == oauth_wire::kKimiBuilder) return Format::OpenAIChat;
    if (wire == sdk::wire::kCodexResponses) return Format::Responses;
    if (wire == sdk::wire::kClaudeMessages) return Format::Claude;
    if (wire == sdk::wire::kGemini || wire == sdk::wire::kVertex || wire == oauth_wire::kCodeAssistBuilder ||
        wire == oauth_wire::kAntigravityBuilder)
        return Format::Gemini;
    return std::nullopt;
}

namespace {

bool isCountRequest(const ExecRequest& r) {
    return r.format == ClientFormat::ClaudeCountTokens ||
           (r.format == ClientFormat::Gemini && r.geminiMethod == "countTokens");
}

ClientFormat nativeClientFormat(Format target, bool count) {
    switch (target) {
        case Format::OpenAIChat: return ClientFormat::OpenAIChat;
        case Format::Responses: return ClientFormat::Responses;
        case Format::Claude: return count ? ClientFormat::ClaudeCountTokens : ClientFormat::Claude;
        case Format::Gemini: return ClientFormat::Gemini;
    }
    return ClientFormat::OpenAIChat;
}

/// Legacy completions travel as chat (data-plane §8.6): each chat frame of the
/// encoder becomes a text_completion frame.
void chatFramesToCompletion(std::string& frames) {
    std::string out;
    std::size_t pos = 0;
    while (pos < frames.size()) {
        std::size_t end = frames.find("\n\n", pos);
        if (end == std::string::npos) end = frames.size();
        std::string_view frame = std::string_view(frames).substr(pos, end - pos);
        pos = end + 2;
        std::string_view payload;
        if (!dataPayload(frame, payload)) continue;
        if (payload == "[DONE]") {
            out += "data: [DONE]\n\n";
            continue;
        }
        const std::string converted = chatChunkToCompletion(payload);
        if (!converted.empty()) out.append("data: ").append(converted).append("\n\n");
    }
    frames = std::move(out);
}

class TranslatingFramer final : public StreamFramer {
public:
    explicit TranslatingFramer(const Translation& t)
        : t_(t),
          decoder_(codecFor(t.target).streamDecoder(t.exchange)),
          encoder_(codecFor(t.client).streamEncoder(t.exchange)) {}

    void line(std::string_view line, EventQueue& out) override {
        std::string_view payload;
        if (!dataPayload(line, payload) || payload.empty()) return;
        events_.clear();
        decoder_->feed(payload, events_);
        emit(out);
    }

    void finish(EventQueue& out) override {
        events_.clear();
        decoder_->finish(events_);
        emit(out);
        if (fatalStatus) return;
        std::string& frames = out.next();
        encoder_->finish(frames);
        if (t_.completions) chatFramesToCompletion(frames);
    }

private:
    /// Encodes the decoded events as one client write (one upstream line in,
    /// at most one write out: keep-alives fall between events).
    void emit(EventQueue& out) {
        if (events_.empty()) return;
        std::string& frames = out.next();
        for (const translate::Event& ev : events_) {
            if (ev.type == translate::Event::Type::Error) {
                fatalStatus = ev.index >= 400 ? ev.index : 502;
                fatalMessage = ev.text.empty() ? std::string("upstream stream error") : ev.text;
                break;
            }
            if (ev.type == translate::Event::Type::Usage) usage = tokenUsageFor(t_.target, ev.usage);
            encoder_->encode(ev, frames);
        }
        if (t_.completions) chatFramesToCompletion(frames);
    }

    const Translation& t_;
    std::unique_ptr<translate::StreamDecoder> decoder_;
    std::unique_ptr<translate::StreamEncoder> encoder_;
    std::vector<translate::Event> events_;
};

std::size_t textBytes(const std::vector<translate::Part>& parts) {
    std::size_t n = 0;
    for (const translate::Part& p : parts)
        n += p.text.size() + p.arguments.size() + p.name.size() + textBytes(p.content);
    return n;
}

}  // namespace

std::optional<Translation> prepareTranslation(const ExecRequest& r) {
    // Without a conversation routing chose this credential for its own format
    // (or a pass-through such as compact responses on a compatible provider).
    if (!r.credential || !r.conversation || wireServesFormat(r.credential->wire, r.format)) return std::nullopt;
    const auto client = translatableFormat(r.format);
    const auto target = wireFormat(r.credential->wire);
    if (!client || !target)
        throw translate::TranslateError("this endpoint cannot be served by a " + r.credential->wire + " provider");
    Translation t;
    t.client = *client;
    t.target = *target;
    t.completions = r.format == ClientFormat::OpenAICompletions;
    t.exchange.request = r.conversation.get();
    t.exchange.clientModel = r.clientModel;
    t.exchange.geminiAltMode = r.format == ClientFormat::Gemini && !r.geminiAlt.empty();
    const bool count = isCountRequest(r);
    if (count && *target != Format::Claude && *target != Format::Gemini) {
        t.countLocally = true;
        return t;
    }
    t.native = r.withoutClientPayload();  // the client's own headers belong to another format
    t.native.format = nativeClientFormat(*target, count);
    t.native.geminiAlt.clear();      // the upstream always streams SSE
    t.native.geminiMethod = count ? "countTokens" : r.stream ? "streamGenerateContent" : "generateContent";
    t.native.stream = r.stream && !count;
    translate::EncodeOptions options{r.upstreamModel, t.native.stream, count};
    t.native.body = cpa::sdk::toJson(codecFor(*target).encodeRequest(*r.conversation, options, t.exchange));
    return t;
}

std::unique_ptr<StreamFramer> makeTranslatingFramer(const Translation& t) {
    return std::make_unique<TranslatingFramer>(t);
}

std::string translateReply(const Translation& t, const std::string& nativeBody, TokenUsage& usage) {
    cpa::sdk::Value doc;
    try {
        doc = cpa::sdk::parseJson(nativeBody);
    } catch (const std::exception&) {
        throw translate::TranslateError("the upstream answer is not JSON");
    }
    if (t.native.format == ClientFormat::ClaudeCountTokens || t.native.geminiMethod == "countTokens") {
        const std::int64_t n = codecFor(t.target).decodeTokenCount(doc);
        if (n < 0) throw translate::TranslateError("the upstream token count has no count");
        return codecFor(t.client).encodeTokenCount(n);
    }
    const translate::Reply reply = codecFor(t.target).decodeReply(doc, t.exchange);
    if (reply.usage.present) usage = tokenUsageFor(t.target, reply.usage);
    std::string out = codecFor(t.client).encodeReply(reply, t.exchange);
    if (t.completions) out = chatBodyToCompletion(out);
    return out;
}

std::string translateError(const Translation& t, int status, const std::string& upstreamBody) {
    translate::ErrorInfo e = codecFor(t.target).decodeError(status, upstreamBody);
    if (e.status == 0) e.status = status;
    if (e.message.empty())
        e.message = upstreamBody.empty() ? "upstream answered HTTP " + std::to_string(status) : upstreamBody;
    return codecFor(t.client).encodeError(e);
}

std::string localTokenCount(const Translation& t) {
    std::size_t bytes = 0;
    if (const translate::Conversation* c = t.exchange.request) {
        bytes += textBytes(c->system);
        for (const translate::Message& m : c->messages) bytes += textBytes(m.parts);
        for (const translate::ToolDecl& d : c->tools)
            bytes += d.name.size() + d.description.size() + (d.parameters ? cpa::sdk::toJson(*d.parameters).size() : 0);
    }
    return codecFor(t.client).encodeTokenCount(static_cast<std::int64_t>((bytes + 3) / 4));
}

TokenUsage tokenUsageFor(Format target, const translate::Usage& u) {
    TokenUsage out;
    out.present = u.present;
    out.reasoning = u.reasoning;
    out.cached = u.cachedInput;
    switch (target) {
        case Format::OpenAIChat:
        case Format::Responses:
            out.input = u.input;
            out.output = u.output;
            out.total = u.input + u.output;
            break;
        case Format::Claude:  // Claude's own input_tokens leave the cache out (usageFromClaude)
            out.input = std::max<std::int64_t>(0, u.input - u.cachedInput - u.cacheCreation);
            out.output = u.output;
            out.cached = u.cachedInput ? u.cachedInput : u.cacheCreation;
            out.reasoning = 0;
            out.total = out.input + out.output;
            break;
        case Format::Gemini:  // candidatesTokenCount leaves the thoughts out (usageFromGemini)
            out.input = u.input;
            out.output = std::max<std::int64_t>(0, u.output - u.reasoning);
            out.total = u.input + u.output;
            break;
    }
    return out;
}

}  // namespace cpa::proxy::upstream
