#include "auth_file_entry.hpp"

#include "login/pkce.hpp"
#include "time_values.hpp"

#include <cpa/sdk/text.hpp>
#include <cpa/sdk/base64.hpp>
#include <cpa/sdk/time_format.hpp>

#include <cpa/sdk/credential_identity.hpp>
#include <cpa/sdk/json.hpp>

#include <algorithm>
#include <charconv>

namespace cpa::oauth {

namespace {

std::optional<std::int64_t> priorityOf(const sdk::Value& meta) {
    const sdk::Value* p = meta.find("priority");
    if (!p) return std::nullopt;
    if (p->isInt()) return p->asInt();
    if (p->isDouble()) return static_cast<std::int64_t>(p->asDouble());
    if (p->isString()) {
        const std::string t = sdk::trimAscii(p->asString());
        std::int64_t v = 0;
        const char* end = t.data() + t.size();
        const char* b = t.data();
        if (!t.empty() && *b == '+') ++b;
        auto [ptr, ec] = std::from_chars(b, end, v);
        if (ec == std::errc() && ptr == end && b != end) return v;
    }
    return std::nullopt;
}

std::string sanitizeProject(std::string p) {
    for (char& c : p) {
        if (c == '/' || c == '\\' || c == ' ') c = '_';
    }
    return p;
}

sdk::Value baseEntry(const StoredCredential& rec, std::int64_t nowNs) {
    sdk::Value::Object m;
    m.emplace_back("id", rec.id);
    m.emplace_back("auth_index", rec.authIndex);
    m.emplace_back("name", rec.fileName.empty() ? rec.id : rec.fileName);
    m.emplace_back("type", rec.provider);
    m.emplace_back("provider", rec.provider);
    m.emplace_back("label", rec.label);
    m.emplace_back("status", rec.status);
    m.emplace_back("status_message", rec.statusMessage);
    m.emplace_back("disabled", rec.disabled);
    m.emplace_back("unavailable", false);
    m.emplace_back("runtime_only", false);
    m.emplace_back("source", "file");
    m.emplace_back("size", sdk::Value(static_cast<long long>(rec.size)));
    m.emplace_back("success", 0);
    m.emplace_back("failed", 0);
    m.emplace_back("recent_requests", recentRequestBuckets(nowNs));
    const std::string email = metaString(rec.metadata, "email");
    if (!email.empty()) {
        m.emplace_back("email", email);
        std::string account = email;
        const std::string project = metaString(rec.metadata, "project_id");
        if (rec.provider == "gemini-cli" && !project.empty()) account += " (" + project + ")";
        m.emplace_back("account_type", "oauth");
        m.emplace_back("account", account);
    }
    if (rec.createdNs) m.emplace_back("created_at", sdk::formatRfc3339Nano(sdk::zonedFromUnixNanos(rec.createdNs)));
    if (rec.updatedNs) m.emplace_back("updated_at", sdk::formatRfc3339Nano(sdk::zonedFromUnixNanos(rec.updatedNs)));
    m.emplace_back("modtime", sdk::formatRfc3339Nano(sdk::zonedFromUnixNanos(rec.mtimeNs ? rec.mtimeNs : rec.updatedNs)));
    if (rec.lastRefreshNs) m.emplace_back("last_refresh", sdk::formatRfc3339Nano(sdk::zonedFromUnixNanos(rec.lastRefreshNs, true)));
    m.emplace_back("path", rec.path.string());
    if (rec.provider == "codex") {
        sdk::Value claims = codexIdTokenClaims(rec.metadata);
        if (!claims.isNull()) m.emplace_back("id_token", std::move(claims));
    }
    if (auto p = priorityOf(rec.metadata)) m.emplace_back("priority", sdk::Value(static_cast<long long>(*p)));
    const std::string note = metaString(rec.metadata, "note");
    if (!note.empty()) m.emplace_back("note", note);
    return sortedObject(std::move(m));
}

}  // namespace

sdk::Value sortedObject(sdk::Value::Object members) {
    std::stable_sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return sdk::Value(std::move(members));
}

sdk::Value recentRequestBuckets(std::int64_t nowNs) {
    constexpr std::int64_t kBucket = 600;
    const std::int64_t current = (nowNs / 1000000000LL) / kBucket;
    sdk::Value out = sdk::Value::array();
    for (std::int64_t i = 19; i >= 0; --i) {
        const std::int64_t start = (current - i) * kBucket;
        out.push(sdk::Value::object({{"time", formatClock(start) + "-" + formatClock(start + kBucket)},
                                     {"success", 0},
                                     {"failed", 0}}));
    }
    return out;
}

sdk::Value codexIdTokenClaims(const sdk::Value& metadata) {
    const std::string token = metaString(metadata, "id_token");
    if (token.empty()) return {};
    const auto first = token.find('.');
    const auto second = first == std::string::npos ? first : token.find('.', first + 1);
    if (second == std::string::npos) return {};
    sdk::Value payload;
    try {
        payload = sdk::parseJson(sdk::base64UrlDecode(std::string_view(token).substr(first + 1, second - first - 1)));
    } catch (const std::exception&) {
        return {};
    }
    const sdk::Value* auth = payload.find("https://api.openai.com/auth");
    if (!auth || !auth->isObject()) return {};
    sdk::Value::Object m;
    const std::string account = metaString(*auth, "chatgpt_account_id");
    if (!account.empty()) m.emplace_back("chatgpt_account_id", account);
    const std::string plan = metaString(*auth, "chatgpt_plan_type");
    if (!plan.empty()) m.emplace_back("plan_type", plan);
    for (const char* k : {"chatgpt_subscription_active_start", "chatgpt_subscription_active_until"}) {
        const sdk::Value* v = auth->find(k);
        if (v && !v->isNull()) m.emplace_back(k, *v);
    }
    if (m.empty()) return {};
    return sortedObject(std::move(m));
}

std::vector<std::string> virtualProjects(const StoredCredential& rec) {
    std::vector<std::string> out;
    if (rec.provider != "gemini-cli") return out;
    const std::string ids = metaString(rec.metadata, "project_id");
    if (ids.find(',') == std::string::npos) return out;
    std::size_t pos = 0;
    while (pos <= ids.size()) {
        const auto comma = ids.find(',', pos);
        const std::string p = sdk::trimAscii(ids.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
        if (!p.empty() && std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
        if (comma == std::string::npos) break;
        pos = comma + 1;
    }
    return out;
}

std::vector<sdk::Value> authFileEntries(const StoredCredential& rec, std::int64_t nowNs) {
    std::vector<sdk::Value> out;
    const std::vector<std::string> projects = virtualProjects(rec);
    if (projects.empty()) {
        out.push_back(baseEntry(rec, nowNs));
        return out;
    }
    // The primary of a multi-project file is shown disabled; each project is
    // a runtime-only child sharing its file.
    StoredCredential primary = rec;
    primary.disabled = true;
    primary.status = "disabled";
    out.push_back(baseEntry(primary, nowNs));
    if (rec.disabled) return out;
    for (const std::string& p : projects) {
        StoredCredential child = rec;
        child.id = rec.id + "::" + sanitizeProject(p);
        child.fileName.clear();
        child.authIndex = sdk::fileAuthIndex(rec.fileName + "#" + p);
        child.label = rec.label + " [" + p + "]";
        child.metadata.set("project_id", p);
        sdk::Value e = baseEntry(child, nowNs);
        e.set("runtime_only", true);
        out.push_back(std::move(e));
    }
    return out;
}

sdk::Value authFilesListing(const std::vector<StoredPtr>& records, std::int64_t nowNs, const EntryOverlay& overlay) {
    std::vector<std::pair<std::string, sdk::Value>> entries;
    for (const StoredPtr& rec : records) {
        for (sdk::Value& e : authFileEntries(*rec, nowNs)) {
            if (overlay) {
                overlay(*rec, e);
                e = sortedObject(e.asObject());  // added members take their alphabetical place
            }
            const sdk::Value* n = e.find("name");
            entries.emplace_back(sdk::lowerAscii(n ? n->stringOr("") : ""), std::move(e));
        }
    }
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    sdk::Value files = sdk::Value::array();
    for (auto& [key, e] : entries) files.push(std::move(e));
    return sdk::Value::object({{"files", std::move(files)}});
}

}  // namespace cpa::oauth
