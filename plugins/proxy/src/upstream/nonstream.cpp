// data-plane.md §8.1 non-streaming success bodies, incl. Codex assembly (§7.3), Gemini
// countTokens rebuild (data-plane.md §7.5) and legacy completions (§8.6).
#include "json/json_scan.hpp"
#include "upstream/antigravity_collect.hpp"
#include "upstream/attempt.hpp"
#include "upstream/codex_collect.hpp"
#include "upstream/error_body.hpp"
#include "upstream/response_util.hpp"
#include "upstream/stream_framer.hpp"
#include "upstream/translation.hpp"
#include "upstream/usage.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::upstream {

using cpa::sdk::Value;

namespace {

/// Reads the whole body, ticking non-stream keep-alives. False: result filled.
bool readAll(Attempt& a, std::string& body, const std::function<void(std::string_view)>& onBytes) {
    std::string buf;  // only with onBytes: otherwise bytes are decoded straight into body
    for (;;) {
        std::string& into = onBytes ? buf : body;
        if (onBytes) buf.clear();
        const std::size_t before = into.size();
        const ReadStatus st = a.reader->readBody(into, a.wakeAt());
        if (st == ReadStatus::Data) {
            const std::string_view fresh = std::string_view(into).substr(before);
            a.logBody(fresh);
            if (onBytes) onBytes(fresh);
            continue;
        }
        if (st == ReadStatus::End) return true;
        if (st == ReadStatus::Wait) {
            if (Clock::now() >= a.deadline) {
                a.result.status = 0;
                a.fail("timeout", "upstream timed out while sending the response");
                return false;
            }
            if (!a.clientStillThere() || !a.tickNonstreamKeepalive()) return false;
            continue;
        }
        a.result.status = 0;
        a.fail("stream_error", "upstream response cut: " +
                                   (st == ReadStatus::Error ? a.reader->error() : std::string("unexpected EOF")));
        return false;
    }
}

/// Reads a whole streamed body line by line (a non-stream client of an
/// upstream that streams). False: result filled.
bool readLines(Attempt& a, std::string& body, const std::function<void(std::string_view)>& onLine) {
    LineSplitter lines;
    if (!readAll(a, body, [&](std::string_view b) { lines.feed(b, onLine); })) return false;
    lines.finish(onLine);
    return true;
}

/// The upstream body reduced to its usage member(s): only that member is
/// parsed when a byte scan finds it once (the body itself is passed on
/// unchanged, data-plane.md §8.1); anything unusual parses the whole body.
Value usageDocument(Family family, const std::string& body) {
    if (codeAssistEnvelope(family)) {  // the usage sits inside the envelope
        try {
            const Value doc = cpa::sdk::parseJson(body);
            const Value* inner = doc.find("response");
            return inner && inner->isObject() ? *inner : doc;
        } catch (const std::exception&) {
            return {};
        }
    }
    const bool gemini = family == Family::Gemini || family == Family::Vertex;
    const std::string_view keys[2] = {gemini ? "usageMetadata" : "usage", gemini ? "usage_metadata" : ""};
    JsonMember m[2];
    try {
        if (scanJsonObject(body, keys, m, gemini ? 2 : 1) && m[0].count <= 1 && m[1].count <= 1) {
            Value doc = Value::object();
            for (int i = 0; i < 2; ++i)
                if (m[i].found())
                    doc.set(keys[i], cpa::sdk::parseJson(std::string_view(body).substr(
                                         m[i].valueBegin, m[i].valueEnd - m[i].valueBegin)));
            return doc;
        }
        return cpa::sdk::parseJson(body);
    } catch (const std::exception&) {
        return {};
    }
}

TokenUsage usageOf(Family family, const std::string& body) {
    if (family == Family::OpenAICompat || family == Family::Kimi) {  // the common case: no tree at all
        static constexpr std::string_view kKey = "usage";
        JsonMember m;
        if (scanJsonObject(body, &kKey, &m, 1) && m.count <= 1) {
            if (!m.found() || body[m.valueBegin] != '{') return {};  // findUsageObject: objects only
            if (auto u = usageFromOpenAIJson(std::string_view(body).substr(m.valueBegin, m.valueEnd - m.valueBegin)))
                return *u;
        }
    }
    const Value doc = usageDocument(family, body);
    if (!doc.isObject()) return {};
    switch (family) {
        case Family::OpenAICompat:
        case Family::Kimi:
            if (const Value* u = findUsageObject(doc, "usage")) return usageFromOpenAI(*u);
            break;
        case Family::Claude:
            if (const Value* u = findUsageObject(doc, "usage")) return usageFromClaude(*u);
            break;
        case Family::Codex:
            if (const Value* u = findUsageObject(doc, "usage")) return usageFromResponses(*u);
            break;
        case Family::Gemini:
        case Family::Vertex:
        case Family::CodeAssist:
        case Family::Antigravity: {
            const Value* u = findUsageObject(doc, "usageMetadata");
            if (!u) u = findUsageObject(doc, "usage_metadata");
            if (u) return usageFromGemini(*u);
            break;
        }
    }
    return {};
}

std::string geminiCountBody(const std::string& upstream) {
    std::int64_t total = 0;
    try {
        const Value doc = cpa::sdk::parseJson(upstream);
        if (const Value* t = doc.find("totalTokens")) total = t->intOr(0);
    } catch (const std::exception&) {
    }
    Value detail = Value::object({{"modality", "TEXT"}, {"tokenCount", Value(static_cast<long long>(total))}});
    return cpa::sdk::toJson(Value::object(
        {{"totalTokens", Value(static_cast<long long>(total))}, {"promptTokensDetails", Value(Value::Array{detail})}}));
}

/// A Gemini client gets the Gemini body inside Code Assist's {"response":…}
/// (oauth-executors.md §3.3); anything else is passed on unchanged.
std::string unwrapCodeAssist(const std::string& body) {
    try {
        const Value doc = cpa::sdk::parseJson(body);
        const Value* inner = doc.find("response");
        if (inner && inner->isObject()) return cpa::sdk::toJson(*inner);
    } catch (const std::exception&) {
    }
    return body;
}

/// The target's answer → the client's (translation.md §1.3). An answer that
/// does not decode is the upstream's fault: a 502 routing may retry elsewhere.
bool translateBody(Attempt& a, std::string& body) {
    try {
        body = translateReply(*a.translation, body, a.result.usage);
        return true;
    } catch (const std::exception& e) {
        a.result.status = 502;
        a.result.errorBody.clear();
        a.fail("translation", std::string("upstream answer could not be translated: ") + e.what());
        return false;
    }
}

}  // namespace

void finishNonStream(Attempt& a) {
    ExecResult& r = a.result;
    std::string body;
    const bool countTokens = a.req.format == ClientFormat::ClaudeCountTokens ||
                             (a.req.format == ClientFormat::Gemini && a.req.geminiMethod == "countTokens");
    if (a.call.upstreamStreams && a.call.family == Family::Antigravity) {
        // Antigravity models answered on the stream path only (oauth-executors.md §3.4.1).
        AntigravityCollector collector;
        if (!readLines(a, body, [&](std::string_view l) { collector.line(l); })) return;
        body = collector.body();
        r.usage = usageOf(a.call.family, body);
        if (!a.translation) body = unwrapCodeAssist(body);
    } else if (a.call.upstreamStreams) {  // Codex: a streaming upstream for a non-streaming client
        CodexCollector collector;
        if (!readLines(a, body, [&](std::string_view l) { collector.line(l); })) return;
        if (!collector.completed()) {
            r.status = 408;
            r.errorBody.clear();
            a.fail("stream_error",
                   "stream error: stream disconnected before completion: stream closed before response.completed");
            return;
        }
        body = collector.body();
        r.usage = collector.usage();
    } else {
        if (!readAll(a, body, {})) return;
        if (a.call.decompress) body = decompressBody(body, a.reader->header("Content-Encoding"));
        if (!countTokens) r.usage = usageOf(a.call.family, body);
        if (!a.translation) {  // a translated answer is rebuilt whole below
            if (a.req.format == ClientFormat::OpenAICompletions) body = chatBodyToCompletion(body);
            if (a.req.format == ClientFormat::Gemini && a.req.geminiMethod == "countTokens")
                body = geminiCountBody(body);
            else if (codeAssistEnvelope(a.call.family))
                body = unwrapCodeAssist(body);
        }
    }
    if (a.translation && !translateBody(a, body)) return;
    r.ok = true;
    r.responseStatus = 200;  // whatever 2xx the upstream used
    r.responseHeaders.emplace_back("Content-Type", "application/json");
    if (a.req.passthroughHeaders) addMissing(r.responseHeaders, passthroughHeaders(a.reader->headers()));
    r.responseBody = std::move(body);  // routing writes it, also after keep-alive newlines
}

}  // namespace cpa::proxy::upstream
