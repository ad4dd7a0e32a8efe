#pragma once
// Pair tests: a translated attempt's whole path, as upstream/translation.cpp
// runs it — the client codec decodes the client's body once, the provider
// codec encodes it with an Exchange shared by the whole attempt
// (prepareTranslation); answers come back through the provider codec's
// decoder and the client codec's encoder (TranslatingFramer, translateReply).
#include "translate/codecs.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::sdk {
// Failure messages show values as JSON (internal linkage: these tests' own).
[[maybe_unused]] static void PrintTo(const Value& v, std::ostream* os) { *os << toJson(v); }
}  // namespace cpa::sdk

namespace cpa::proxy::translate::pairs {

using cpa::sdk::Value;

inline Value J(std::string_view text) { return cpa::sdk::parseJson(text); }

inline constexpr Format kFormats[] = {Format::OpenAIChat, Format::Responses, Format::Claude, Format::Gemini};

inline const char* shortName(Format f) {
    switch (f) {
        case Format::OpenAIChat: return "Chat";
        case Format::Responses: return "Responses";
        case Format::Claude: return "Claude";
        case Format::Gemini: return "Gemini";
    }
    return "?";
}

/// (client, provider) for the 12 cross pairs.
struct PairParam {
    Format client, provider;
};
inline void PrintTo(const PairParam& p, std::ostream* os) { *os << shortName(p.client) << " client, " << shortName(p.provider) << " provider"; }
inline std::vector<PairParam> crossPairs() {
    std::vector<PairParam> out;
    for (Format c : kFormats)
        for (Format p : kFormats)
            if (c != p) out.push_back({c, p});
    return out;
}
inline std::string pairName(const ::testing::TestParamInfo<PairParam>& info) {
    return std::string(shortName(info.param.client)) + "_to_" + shortName(info.param.provider);
}

/// A member by dotted path with numeric array indexes ("messages.0.content"); nullptr when absent.
inline const Value* at(const Value& v, std::string_view path) {
    const Value* cur = &v;
    while (!path.empty() && cur) {
        const auto dot = path.find('.');
        const std::string key(path.substr(0, dot));
        if (cur->isArray()) {
            const bool digits = !key.empty() && key.find_first_not_of("0123456789") == std::string::npos;
            const std::size_t i = digits ? std::stoul(key) : cur->size();
            cur = i < cur->size() ? &cur->asArray()[i] : nullptr;
        } else {
            cur = cur->find(key);
        }
        path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    }
    return cur;
}
inline std::string str(const Value& v, std::string_view path) {
    const Value* m = at(v, path);
    return m && m->isString() ? m->asString() : std::string("<absent or not a string>");
}
inline std::int64_t num(const Value& v, std::string_view path) {
    const Value* m = at(v, path);
    return m && m->isNumber() ? m->intOr(-999) : -999;
}
inline std::size_t count(const Value& v, std::string_view path) {
    const Value* m = at(v, path);
    return m && (m->isArray() || m->isObject()) ? m->size() : 0;
}

/// One translated attempt (prepareTranslation): the client body decoded by the
/// client codec, the request encoded by the provider codec with the attempt's Exchange.
struct Attempt {
    Format client, provider;
    std::unique_ptr<Conversation> conv;
    Exchange ex;
    Value upstreamBody;  ///< what the provider receives (serialised and parsed again)

    Attempt(Format c, Format p, const Value& clientBody, bool stream = false, const std::string& clientModel = "client-model",
            const std::string& upstreamModel = "upstream-model")
        : client(c), provider(p) {
        conv = std::make_unique<Conversation>(codecFor(c).decodeRequest(clientBody, clientModel, stream));
        ex.request = conv.get();
        ex.clientModel = clientModel;
        EncodeOptions o;
        o.upstreamModel = upstreamModel;
        o.stream = stream;
        upstreamBody = J(cpa::sdk::toJson(codecFor(p).encodeRequest(*conv, o, ex)));
    }
    Attempt(const Attempt&) = delete;
    Attempt& operator=(const Attempt&) = delete;

    /// The non-stream answer path (translateReply): provider decodeReply → client encodeReply.
    Value reply(const Value& upstreamAnswer) const {
        const Reply r = codecFor(provider).decodeReply(upstreamAnswer, ex);
        return J(codecFor(client).encodeReply(r, ex));
    }
};

/// The output of one translated stream (TranslatingFramer).
struct Pumped {
    std::string out;                  ///< every byte written to the client
    std::vector<std::string> writes;  ///< per upstream line (then one for the end): what was written then
    int fatalStatus{};                ///< an in-stream upstream error ended the stream (0 = none)
    std::string fatalMessage;
};

inline std::vector<std::string> splitLines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string line(text.substr(pos, end - pos));
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(std::move(line));
        pos = end + 1;
    }
    return lines;
}

inline std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

/// Upstream SSE text fed line by line through the provider's decoder and the
/// client's encoder, as the executor's framer does.
inline Pumped pump(const Attempt& a, std::string_view upstreamSse) {
    auto decoder = codecFor(a.provider).streamDecoder(a.ex);
    auto encoder = codecFor(a.client).streamEncoder(a.ex);
    Pumped r;
    std::vector<Event> events;
    auto emit = [&](std::string& frames) {
        for (const Event& ev : events) {
            if (ev.type == Event::Type::Error) {
                r.fatalStatus = ev.index >= 400 ? ev.index : 502;
                r.fatalMessage = ev.text;
                break;
            }
            encoder->encode(ev, frames);
        }
    };
    for (const std::string& line : splitLines(upstreamSse)) {
        std::string frames;
        if (!r.fatalStatus && line.rfind("data:", 0) == 0) {
            const std::string_view payload = trimmed(std::string_view(line).substr(5));
            if (!payload.empty()) {
                events.clear();
                decoder->feed(payload, events);
                emit(frames);
            }
        }
        r.out += frames;
        r.writes.push_back(std::move(frames));
    }
    std::string frames;
    if (!r.fatalStatus) {
        events.clear();
        decoder->finish(events);
        emit(frames);
        if (!r.fatalStatus) encoder->finish(frames);
    }
    r.out += frames;
    r.writes.push_back(std::move(frames));
    return r;
}

/// Index of the first line of `sse` containing `marker` (the pump's `writes` index).
inline std::size_t lineOf(std::string_view sse, std::string_view marker) {
    const auto lines = splitLines(sse);
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (lines[i].find(marker) != std::string::npos) return i;
    ADD_FAILURE() << "no line contains " << marker;
    return lines.size();
}

/// One SSE frame of a client stream: its `event:` name (may be empty) and data.
struct Frame {
    std::string event;
    std::string payload;
    Value data;  ///< parsed payload (null for "[DONE]")
};

/// The complete frames (`…\n\n`) of a client stream; an unterminated tail is left out.
inline std::vector<Frame> frames(const std::string& out) {
    std::vector<Frame> result;
    std::size_t pos = 0;
    while (pos < out.size()) {
        const auto end = out.find("\n\n", pos);
        if (end == std::string::npos) break;
        Frame f;
        for (const std::string& line : splitLines(std::string_view(out).substr(pos, end - pos))) {
            if (line.rfind("event:", 0) == 0) f.event = std::string(trimmed(std::string_view(line).substr(6)));
            else if (line.rfind("data:", 0) == 0) f.payload = std::string(trimmed(std::string_view(line).substr(5)));
        }
        if (f.payload != "[DONE]" && !f.payload.empty()) f.data = J(f.payload);
        result.push_back(std::move(f));
        pos = end + 2;
    }
    return result;
}

/// Canonical events summarised: what a client re-decoding its stream sees.
struct Summary {
    struct Call {
        std::string id, name, arguments;
    };
    std::string model;
    std::string text, thinking, signature;
    std::vector<Call> calls;
    FinishReason finish{FinishReason::Unset};
    int finishes{};
    Usage usage;
    int errors{};
    std::string error;
};

inline void summarise(const std::vector<Event>& events, Summary& s) {
    std::map<int, std::size_t> byIndex;
    for (const Event& e : events) {
        switch (e.type) {
            case Event::Type::Start:
                if (s.model.empty()) s.model = e.model;
                break;
            case Event::Type::TextDelta: s.text += e.text; break;
            case Event::Type::ThinkingDelta: s.thinking += e.text; break;
            case Event::Type::ThinkingSignature: s.signature = e.text; break;
            case Event::Type::ToolCallStart:
                byIndex[e.index] = s.calls.size();
                s.calls.push_back({e.callId, e.name, ""});
                break;
            case Event::Type::ToolCallDelta:
                if (auto it = byIndex.find(e.index); it != byIndex.end()) s.calls[it->second].arguments += e.text;
                else ADD_FAILURE() << "arguments for a call never started (index " << e.index << ")";
                break;
            case Event::Type::Finish:
                s.finish = e.reason;
                ++s.finishes;
                break;
            case Event::Type::Usage: s.usage = e.usage; break;
            case Event::Type::Error:
                ++s.errors;
                s.error = e.text;
                break;
            case Event::Type::ImageData: break;
        }
    }
}

/// The client's own stream decoder run over what the client received.
/// `ended` = the stream is over (the decoder's finish() is called too).
inline Summary redecode(Format client, const std::string& clientBytes, bool ended = true) {
    const Exchange plain;
    auto decoder = codecFor(client).streamDecoder(plain);
    std::vector<Event> events;
    for (const Frame& f : frames(clientBytes))
        if (!f.payload.empty()) decoder->feed(f.payload, events);
    if (ended) decoder->finish(events);
    Summary s;
    summarise(events, s);
    return s;
}

/// What the client wrote up to and including upstream line `line`.
inline std::string writtenThrough(const Pumped& p, std::size_t line) {
    std::string out;
    for (std::size_t i = 0; i <= line && i < p.writes.size(); ++i) out += p.writes[i];
    return out;
}

/// Arguments JSON text → a value (a test failure when it is not JSON).
inline Value args(const std::string& text) {
    try {
        return J(text);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "arguments are not JSON: " << text << " (" << e.what() << ")";
        return Value();
    }
}

}  // namespace cpa::proxy::translate::pairs
