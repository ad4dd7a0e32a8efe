#include "credential_record.hpp"

#include "time_values.hpp"

#include <cpa/sdk/text.hpp>
#include <cpa/sdk/credential_identity.hpp>

#include <algorithm>
#include <cmath>

namespace cpa::oauth {

namespace {

std::int64_t lastRefresh(const sdk::Value& meta) {
    for (const char* key : {"last_refresh", "lastRefresh", "last_refreshed_at", "lastRefreshedAt"}) {
        const sdk::Value* v = meta.find(key);
        if (!v) continue;
        if (v->isString()) {
            if (auto ns = parseLastRefreshNs(sdk::trimAscii(v->asString())); ns && *ns > 0) return *ns;
        } else if (v->isNumber()) {
            const double d = v->asDouble();
            if (d > 0 && d < 1e11) return static_cast<std::int64_t>(d) * 1000000000LL;
        }
    }
    return 0;
}

}  // namespace

std::string metaString(const sdk::Value& metadata, std::string_view key) {
    const sdk::Value* v = metadata.find(key);
    return v && v->isString() ? sdk::trimAscii(v->asString()) : std::string();
}

StoredPtr buildCredential(const std::filesystem::path& authDir, const FileInfo& info, const sdk::Value& content,
                          const StoredCredential* previous, bool allowUntyped) {
    if (!content.isObject()) return nullptr;
    const sdk::Value* type = content.find("type");
    std::string provider = type && type->isString() ? sdk::lowerAscii(sdk::trimAscii(type->asString())) : std::string();
    if (provider.empty()) {
        if (!allowUntyped) return nullptr;
        provider = "unknown";
    }
    // One provider name for Gemini CLI files, whichever path registered them.
    if (provider == "gemini") provider = "gemini-cli";

    auto c = std::make_shared<StoredCredential>();
    c->id = info.name;
    c->fileName = info.name;
    c->authIndex = sdk::fileAuthIndex(info.name);
    c->provider = provider;
    c->email = metaString(content, "email");
    c->label = metaString(content, "label");
    if (c->label.empty()) c->label = c->email;
    if (c->label.empty()) c->label = metaString(content, "project_id");
    if (c->label.empty()) c->label = provider;
    const sdk::Value* disabled = content.find("disabled");
    c->disabled = disabled && disabled->isBool() && disabled->asBool();
    c->status = c->disabled ? "disabled" : "active";
    // "disabled via management API" survives the watcher re-reading the file.
    if (previous && previous->disabled == c->disabled) c->statusMessage = previous->statusMessage;
    c->path = authDir / info.name;
    c->size = info.size;
    c->mtimeNs = info.mtimeNs;
    c->modifiedUnixMs = info.mtimeNs / 1000000;
    c->metadata = content;
    const std::int64_t now = nowNs();
    c->createdNs = previous ? previous->createdNs : now;
    c->updatedNs = now;
    c->lastRefreshNs = lastRefresh(content);
    if (c->lastRefreshNs == 0 && previous) c->lastRefreshNs = previous->lastRefreshNs;
    return c;
}

}  // namespace cpa::oauth
