#include "usage_store.hpp"

#include <cpa/sdk/body.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/text.hpp>

#include <algorithm>
#include <charconv>
#include <string_view>

namespace cpa::usage {

namespace {

using sdk::Value;

// Plain ASCII (the common case) is copied as is; anything the SDK's encoder
// would escape goes through it, so the bytes are always the SDK's.
void appendQuoted(std::string& out, std::string_view s) {
    for (unsigned char c : s) {
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&') {
            out += sdk::toJson(Value(s));
            return;
        }
    }
    out += '"';
    out += s;
    out += '"';
}

void appendInt(std::string& out, std::int64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

[[noreturn]] void invalid(const std::string& what) { throw InvalidUsageJson(what); }

// The original decodes into typed structs: a member of the wrong JSON type
// fails the whole body, a null member leaves the zero value, names match
// case-insensitively.
const Value* member(const Value& obj, std::string_view name) { return sdk::boundMember(obj, name); }

std::int64_t intMember(const Value& obj, std::string_view name) {
    const Value* v = member(obj, name);
    if (!v) return 0;
    if (!v->isInt()) invalid(std::string(name) + " is not an integer");
    return v->asInt();
}

std::string stringMember(const Value& obj, std::string_view name) {
    const Value* v = member(obj, name);
    if (!v) return {};
    if (!v->isString()) invalid(std::string(name) + " is not a string");
    return v->asString();
}

bool boolMember(const Value& obj, std::string_view name) {
    const Value* v = member(obj, name);
    if (!v) return false;
    if (!v->isBool()) invalid(std::string(name) + " is not a bool");
    return v->asBool();
}

const Value* objectMember(const Value& obj, std::string_view name) {
    const Value* v = member(obj, name);
    if (v && !v->isObject()) invalid(std::string(name) + " is not an object");
    return v;
}

void checkIntMap(const Value& obj, std::string_view name) {
    if (const Value* m = objectMember(obj, name)) {
        for (const auto& [k, v] : m->asObject()) {
            if (!v.isNull() && !v.isInt()) invalid(std::string(name) + "." + k + " is not an integer");
        }
    }
}

std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

}  // namespace

void Tokens::normalise() noexcept {
    if (total == 0) total = input + output + reasoning;
    if (total == 0) total = input + output + reasoning + cached;
}

Detail detailFromJson(const Value& v) {
    Detail d;
    d.timestamp.seconds = -62135596800;  // Go's zero time: "not set"
    if (v.isNull()) return d;
    if (!v.isObject()) invalid("detail is not an object");
    if (const Value* ts = member(v, "timestamp")) {
        if (!ts->isString()) invalid("timestamp is not a string");
        auto parsed = parseRfc3339(ts->asString());
        if (!parsed) invalid("timestamp is not RFC 3339");
        d.timestamp = *parsed;
    }
    d.latencyMs = intMember(v, "latency_ms");
    d.source = stringMember(v, "source");
    d.authIndex = stringMember(v, "auth_index");
    if (const Value* t = objectMember(v, "tokens")) {
        d.tokens.input = intMember(*t, "input_tokens");
        d.tokens.output = intMember(*t, "output_tokens");
        d.tokens.reasoning = intMember(*t, "reasoning_tokens");
        d.tokens.cached = intMember(*t, "cached_tokens");
        d.tokens.total = intMember(*t, "total_tokens");
    }
    d.failed = boolMember(v, "failed");
    return d;
}

std::vector<ImportApi> snapshotFromJson(const Value& usage) {
    std::vector<ImportApi> out;
    if (usage.isNull()) return out;
    if (!usage.isObject()) invalid("usage is not an object");
    for (const char* name : {"total_requests", "success_count", "failure_count", "total_tokens"}) {
        intMember(usage, name);
    }
    for (const char* name : {"requests_by_day", "requests_by_hour", "tokens_by_day", "tokens_by_hour"}) {
        checkIntMap(usage, name);
    }
    const Value* apis = objectMember(usage, "apis");
    if (!apis) return out;
    for (const auto& [apiName, api] : apis->asObject()) {
        ImportApi entry{apiName, {}};
        if (!api.isNull()) {
            if (!api.isObject()) invalid("api entry is not an object");
            intMember(api, "total_requests");
            intMember(api, "total_tokens");
            if (const Value* models = objectMember(api, "models")) {
                for (const auto& [modelName, model] : models->asObject()) {
                    ImportModel m{modelName, {}};
                    if (!model.isNull()) {
                        if (!model.isObject()) invalid("model entry is not an object");
                        intMember(model, "total_requests");
                        intMember(model, "total_tokens");
                        const Value* details = member(model, "details");
                        if (details) {
                            if (!details->isArray()) invalid("details is not an array");
                            m.details.reserve(details->size());
                            for (const Value& d : details->asArray()) m.details.push_back(detailFromJson(d));
                        }
                    }
                    entry.models.push_back(std::move(m));
                }
            }
        }
        out.push_back(std::move(entry));
    }
    return out;
}

std::string detailJson(const Detail& d) {
    std::string out;
    out.reserve(256);
    out += "{\"timestamp\":\"";
    out += formatRfc3339Nano(d.timestamp);
    out += "\",\"latency_ms\":";
    appendInt(out, d.latencyMs);
    out += ",\"source\":";
    appendQuoted(out, d.source);
    out += ",\"auth_index\":";
    appendQuoted(out, d.authIndex);
    out += ",\"tokens\":{\"input_tokens\":";
    appendInt(out, d.tokens.input);
    out += ",\"output_tokens\":";
    appendInt(out, d.tokens.output);
    out += ",\"reasoning_tokens\":";
    appendInt(out, d.tokens.reasoning);
    out += ",\"cached_tokens\":";
    appendInt(out, d.tokens.cached);
    out += ",\"total_tokens\":";
    appendInt(out, d.tokens.total);
    out += "},\"failed\":";
    out += d.failed ? "true}" : "false}";
    return out;
}

void UsageStore::setSink(Sink sink) {
    std::lock_guard lock(mutex_);
    sink_ = std::move(sink);
}

UsageStore::Key UsageStore::dedupKey(const std::string& api, const std::string& model, const Detail& d) {
    std::string k;
    k.reserve(160);
    k += api;
    k += '|';
    k += model;
    k += '|';
    k += formatUtcRfc3339Nano(d.timestamp);
    k += '|';
    k += d.source;
    k += '|';
    k += d.authIndex;
    k += d.failed ? "|true|" : "|false|";
    appendInt(k, d.tokens.input);
    k += '|';
    appendInt(k, d.tokens.output);
    k += '|';
    appendInt(k, d.tokens.reasoning);
    k += '|';
    appendInt(k, d.tokens.cached);
    k += '|';
    appendInt(k, d.tokens.total);
    return Key{static_cast<std::uint64_t>(std::hash<std::string_view>{}(k)), fnv1a(k)};
}

void UsageStore::apply(const std::string& api, const std::string& model, const Detail& d, const std::string& text,
                       bool persist) {
    const std::int64_t tokens = d.tokens.total;
    // The original adds a negative total as 0 to the global/day/hour counters
    // but as-is to the per-API/per-model ones (usage.md §5.3).
    const std::int64_t clamped = tokens < 0 ? 0 : tokens;
    ++total_;
    ++(d.failed ? failure_ : success_);
    totalTokens_ += clamped;
    ApiEntry& a = apis_[api];
    ++a.requests;
    a.tokens += tokens;
    ModelEntry& m = a.models[model];
    ++m.requests;
    m.tokens += tokens;
    constexpr std::size_t kChunk = 64 * 1024;
    const bool first = m.details.empty();
    if (first || m.details.back()->size() + text.size() + 1 > kChunk) {
        auto chunk = std::make_shared<std::string>();
        chunk->reserve(std::max(kChunk, text.size() + 1));
        m.details.push_back(std::move(chunk));
    }
    std::string& tail = *m.details.back();
    if (!first) tail += ',';
    tail += text;
    const std::string day = d.timestamp.dayKey();
    ++requestsByDay_[day];
    tokensByDay_[day] += clamped;
    const int hour = d.timestamp.hour();
    ++requestsByHour_[static_cast<std::size_t>(hour)];
    tokensByHour_[static_cast<std::size_t>(hour)] += clamped;
    hourSeen_[static_cast<std::size_t>(hour)] = true;
    keys_.insert(dedupKey(api, model, d));
    if (persist && sink_) {
        std::string line;
        line.reserve(text.size() + api.size() + model.size() + 40);
        line += "{\"api\":";
        appendQuoted(line, api);
        line += ",\"model\":";
        appendQuoted(line, model);
        line += ",\"detail\":";
        line += text;
        line += '}';
        sink_(std::move(line));
    }
}

void UsageStore::record(const std::string& api, const std::string& model, Detail detail) {
    detail.tokens.normalise();
    if (detail.latencyMs < 0) detail.latencyMs = 0;
    const std::string text = detailJson(detail);
    std::lock_guard lock(mutex_);
    apply(api, model, detail, text, true);
}

bool UsageStore::replayLine(std::string_view line) {
    try {
        const Value v = sdk::parseJson(line);
        const Value* api = v.find("api");
        const Value* model = v.find("model");
        const Value* detail = v.find("detail");
        if (!api || !api->isString() || !model || !model->isString() || !detail || !detail->isObject()) return false;
        Detail d = detailFromJson(*detail);
        if (d.timestamp.isZero()) return false;
        const std::string text = detailJson(d);
        std::lock_guard lock(mutex_);
        apply(api->asString(), model->asString(), d, text, false);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

MergeResult UsageStore::merge(std::vector<ImportApi> apis) {
    Merger merger(*this);
    for (ImportApi& api : apis) {
        merger.beginApi(api.name);
        for (ImportModel& model : api.models) {
            merger.beginModel(model.name);
            for (Detail& d : model.details) merger.detail(std::move(d));
        }
    }
    return merger.result();
}

UsageStore::Merger::Merger(UsageStore& store) : store_(store), lock_(store.mutex_) {}

void UsageStore::Merger::beginApi(std::string_view name) {
    api_ = sdk::trimAscii(name);
    skipApi_ = api_.empty();  // the original drops these uncounted
    if (!skipApi_) store_.apis_[api_];
}

void UsageStore::Merger::beginModel(std::string_view name) {
    model_ = sdk::trimAscii(name);
    if (model_.empty()) model_ = "unknown";
}

void UsageStore::Merger::detail(Detail d) {
    if (skipApi_) return;
    // A huge import must not stall live recording for seconds.
    if (++sinceYield_ == 4096) {
        sinceYield_ = 0;
        lock_.unlock();
        lock_.lock();
    }
    d.tokens.normalise();
    if (d.latencyMs < 0) d.latencyMs = 0;
    if (d.timestamp.isZero()) d.timestamp = nowLocal();
    if (store_.keys_.contains(dedupKey(api_, model_, d))) {
        ++result_.skipped;
        return;
    }
    store_.apply(api_, model_, d, detailJson(d), true);
    ++result_.added;
}

std::size_t UsageStore::sizeHint() const {
    std::size_t size = 512 + 64 * (requestsByDay_.size() + 24);
    for (const auto& [name, a] : apis_) {
        size += name.size() + 96;
        for (const auto& [model, m] : a.models) {
            size += model.size() + 96;
            for (const auto& chunk : m.details) size += chunk->size();
        }
    }
    return size;
}

std::string UsageStore::snapshotJson() const {
    std::lock_guard lock(mutex_);
    std::string out;
    out.reserve(sizeHint());
    appendSnapshot(out);
    return out;
}

std::string UsageStore::usageBody() const {
    std::lock_guard lock(mutex_);
    std::string out;
    out.reserve(sizeHint() + 64);
    out += "{\"failed_requests\":";
    appendInt(out, failure_);
    out += ",\"usage\":";
    appendSnapshot(out);
    out += '}';
    return out;
}

std::string UsageStore::exportBody(const std::string& exportedAt) const {
    std::lock_guard lock(mutex_);
    std::string out;
    out.reserve(sizeHint() + 96);
    out += "{\"version\":1,\"exported_at\":\"";
    out += exportedAt;
    out += "\",\"usage\":";
    appendSnapshot(out);
    out += '}';
    return out;
}

UsageStore::Pieces UsageStore::usagePieces() const {
    std::lock_guard lock(mutex_);
    Pieces pieces;
    std::string out = "{\"failed_requests\":";
    appendInt(out, failure_);
    out += ",\"usage\":";
    appendSnapshot(out, &pieces);
    out += '}';
    pieces.push_back(std::make_shared<const std::string>(std::move(out)));
    return pieces;
}

UsageStore::Pieces UsageStore::exportPieces(const std::string& exportedAt) const {
    std::lock_guard lock(mutex_);
    Pieces pieces;
    std::string out = "{\"version\":1,\"exported_at\":\"" + exportedAt + "\",\"usage\":";
    appendSnapshot(out, &pieces);
    out += '}';
    pieces.push_back(std::make_shared<const std::string>(std::move(out)));
    return pieces;
}

void UsageStore::appendSnapshot(std::string& out, Pieces* pieces) const {
    out += "{\"total_requests\":";
    appendInt(out, total_);
    out += ",\"success_count\":";
    appendInt(out, success_);
    out += ",\"failure_count\":";
    appendInt(out, failure_);
    out += ",\"total_tokens\":";
    appendInt(out, totalTokens_);
    out += ",\"apis\":{";
    bool firstApi = true;
    for (const auto& [name, a] : apis_) {
        if (!firstApi) out += ',';
        firstApi = false;
        appendQuoted(out, name);
        out += ":{\"total_requests\":";
        appendInt(out, a.requests);
        out += ",\"total_tokens\":";
        appendInt(out, a.tokens);
        out += ",\"models\":{";
        bool firstModel = true;
        for (const auto& [modelName, m] : a.models) {
            if (!firstModel) out += ',';
            firstModel = false;
            appendQuoted(out, modelName);
            out += ":{\"total_requests\":";
            appendInt(out, m.requests);
            out += ",\"total_tokens\":";
            appendInt(out, m.tokens);
            out += ",\"details\":[";
            if (pieces) {
                pieces->push_back(std::make_shared<const std::string>(std::move(out)));
                out.clear();
                for (std::size_t i = 0; i + 1 < m.details.size(); ++i) pieces->push_back(m.details[i]);
                if (!m.details.empty()) out += *m.details.back();  // the tail may still grow: copied
            } else {
                for (const auto& chunk : m.details) out += *chunk;
            }
            out += "]}";
        }
        out += "}}";
    }
    out += '}';
    auto dayMap = [&out](const char* key, const std::map<std::string, std::int64_t>& m) {
        out += ",\"";
        out += key;
        out += "\":{";
        bool first = true;
        for (const auto& [k, v] : m) {
            if (!first) out += ',';
            first = false;
            out += '"' + k + "\":";
            appendInt(out, v);
        }
        out += '}';
    };
    auto hourMap = [&](const char* key, const std::array<std::int64_t, 24>& m) {
        out += ",\"";
        out += key;
        out += "\":{";
        bool first = true;
        for (std::size_t h = 0; h < 24; ++h) {
            if (!hourSeen_[h]) continue;
            if (!first) out += ',';
            first = false;
            out += '"';
            out += static_cast<char>('0' + h / 10);
            out += static_cast<char>('0' + h % 10);
            out += "\":";
            appendInt(out, m[h]);
        }
        out += '}';
    };
    dayMap("requests_by_day", requestsByDay_);
    hourMap("requests_by_hour", requestsByHour_);
    dayMap("tokens_by_day", tokensByDay_);
    hourMap("tokens_by_hour", tokensByHour_);
    out += '}';
}

UsageStore::Totals UsageStore::totals() const {
    std::lock_guard lock(mutex_);
    return Totals{total_, failure_};
}

}  // namespace cpa::usage
