#include "upstream/antigravity_envelope.hpp"

#include "registry/catalog.hpp"
#include "translate/gemini_schema.hpp"

#include <cpa/sdk/credential_identity.hpp>
#include <cpa/sdk/text.hpp>

#include <Poco/UUIDGenerator.h>

#include <chrono>
#include <cstdint>
#include <random>

namespace cpa::proxy::upstream {

using cpa::sdk::Value;

namespace {

bool contains(std::string_view s, std::string_view needle) { return s.find(needle) != std::string_view::npos; }

std::string uuid() { return Poco::UUIDGenerator::defaultGenerator().createRandom().toString(); }

std::uint64_t randomBelow(std::uint64_t n) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng);
}

/// The original's legacy fallback for a file without `project_id`.
std::string randomProject() {
    static constexpr std::string_view adjectives[] = {"useful", "bright", "swift", "calm", "bold"};
    static constexpr std::string_view nouns[] = {"fuze", "wave", "spark", "flow", "core"};
    return std::string(adjectives[randomBelow(5)]) + "-" + std::string(nouns[randomBelow(5)]) + "-" + uuid().substr(0, 5);
}

std::string requestId(bool image) {
    if (!image) return "agent-" + uuid();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch()).count();
    return "image_gen/" + std::to_string(ms) + "/" + uuid() + "/12";
}

/// The catalogue's `max_completion_tokens` for an Antigravity model (0: none).
std::int64_t maxCompletionTokens(std::string_view model) {
    for (const Value& m : catalogSection("antigravity"))
        if (m.find("id")->stringOr("") == model)
            if (const Value* max = m.find("max_completion_tokens")) return max->intOr(0);
    return 0;
}

bool hasToolsOrResponseSchema(const Value& request) {
    const Value* tools = request.find("tools");
    if (tools && tools->isArray() && !tools->asArray().empty()) return true;
    const Value* gc = request.find("generationConfig");
    return gc && (gc->contains("responseJsonSchema") || gc->contains("responseSchema"));
}

/// Antigravity takes function schemas as `parameters` (normalizeGeminiBody
/// wrote `parametersJsonSchema`), cleaned of what it refuses.
void cleanSchemas(Value& request) {
    if (Value* tools = request.find("tools"); tools && tools->isArray()) {
        for (Value& tool : tools->asArray()) {
            Value* decls = tool.isObject() ? tool.find("function_declarations") : nullptr;
            if (!decls || !decls->isArray()) continue;
            for (Value& d : decls->asArray()) {
                if (!d.isObject()) continue;
                Value* schema = d.find("parametersJsonSchema");
                if (!schema) schema = d.find("parameters");
                if (!schema) continue;
                Value cleaned = translate::gemini::cleanSchema(*schema);
                d.erase("parametersJsonSchema");
                d.set("parameters", std::move(cleaned));
            }
        }
    }
    if (Value* gc = request.find("generationConfig"))
        for (const char* key : {"responseJsonSchema", "responseSchema"})
            if (Value* s = gc->find(key)) *s = translate::gemini::cleanSchema(*s);
}

}  // namespace

bool antigravityNonStreamViaStream(std::string_view model) {
    return contains(sdk::lowerAscii(model), "claude") || contains(model, "gemini-3-pro") || contains(model, "gemini-3.1-flash-image");
}

std::string antigravitySessionId(const Value& request) {
    if (const Value* contents = request.find("contents"); contents && contents->isArray()) {
        for (const Value& turn : contents->asArray()) {
            const Value* role = turn.isObject() ? turn.find("role") : nullptr;
            if (!role || role->stringOr("") != "user") continue;
            const Value* parts = turn.find("parts");
            if (!parts || !parts->isArray() || parts->asArray().empty()) continue;
            const Value* text = parts->asArray().front().find("text");
            if (!text || !text->isString() || text->asString().empty()) continue;
            const std::uint64_t n = std::stoull(sdk::sha256Hex(text->asString()).substr(0, 16), nullptr, 16);
            return "-" + std::to_string(n & 0x7FFFFFFFFFFFFFFFull);
        }
    }
    return "-" + std::to_string(randomBelow(9'000'000'000'000'000'000ull));
}

Value antigravityEnvelope(Value request, const std::string& model, const std::string& project) {
    const bool image = contains(model, "image");
    request.erase("model");
    request.erase("safetySettings");
    if (!image) request.set("sessionId", antigravitySessionId(request));
    if (Value* gc = request.find("generationConfig")) {
        Value* maxOut = gc->find("maxOutputTokens");
        const std::int64_t cap = maxCompletionTokens(model);
        if (maxOut && maxOut->isNumber() && cap > 0 && maxOut->asDouble() > static_cast<double>(cap)) *maxOut = Value(cap);
    }
    if (hasToolsOrResponseSchema(request)) cleanSchemas(request);
    if (contains(model, "claude")) {
        Value& fcc = request["toolConfig"]["functionCallingConfig"];
        fcc.set("mode", "VALIDATED");
    } else if (Value* gc = request.find("generationConfig")) {
        gc->erase("maxOutputTokens");
    }
    return Value::object({{"model", model},
                          {"userAgent", "antigravity"},
                          {"requestType", image ? "image_gen" : "agent"},
                          {"project", project.empty() ? randomProject() : project},
                          {"requestId", requestId(image)},
                          {"request", std::move(request)}});
}

Value antigravityCountEnvelope(Value request) {
    request.erase("model");
    request.erase("safetySettings");
    return Value::object({{"request", std::move(request)}});
}

std::string antigravityUserAgent(std::string_view configured) {
    const std::string ua = sdk::trimAscii(configured);
    if (ua.empty()) return "antigravity/1.21.9 darwin/arm64";
    const std::string lower = sdk::lowerAscii(ua);
    if (lower.rfind("antigravity/", 0) == 0)
        if (const auto at = lower.find(" google-api-nodejs-client/"); at != std::string::npos)
            if (std::string head = sdk::trimAscii(std::string_view(ua).substr(0, at)); !head.empty()) return head;
    return ua;
}

}  // namespace cpa::proxy::upstream
