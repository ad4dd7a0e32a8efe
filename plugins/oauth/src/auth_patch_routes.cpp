// PATCH /auth-files/status and /auth-files/fields (auth-files.md §9, §10).
#include "auth_file_entry.hpp"
#include "auth_files_routes.hpp"
#include "time_values.hpp"

#include <cpa/sdk/text.hpp>
#include <cpa/sdk/body.hpp>
#include <cpa/sdk/errors.hpp>

#include <map>

namespace cpa::oauth {

namespace {

const std::string kBase(sdk::kManagementBase);

[[noreturn]] void invalidBody() { throw sdk::HttpError(400, "invalid request body"); }

// The original binds a JSON object into a struct: members match
// case-insensitively, null counts as absent, a wrong type fails the bind.
const sdk::Value* member(const sdk::Value& body, std::string_view name, sdk::Value::Type type) {
    const sdk::Value* v = sdk::boundMember(body, name);
    if (v && v->type() != type) invalidBody();
    return v;
}

struct Target {
    StoredPtr record;
    sdk::Value body;
};

Target findTarget(FileCredentialStore& store, const std::string& rawBody) {
    std::optional<sdk::Value> body = sdk::boundObject(rawBody);
    if (!body) invalidBody();
    const sdk::Value* nameV = member(*body, "name", sdk::Value::Type::String);
    const std::string name = nameV ? sdk::trimAscii(nameV->asString()) : std::string();
    if (name.empty()) throw sdk::HttpError(400, "name is required");
    return {store.record(name), std::move(*body)};
}

void persist(FileCredentialStore& store, const StoredCredential& rec, const sdk::Value& metadata,
             const std::string& statusMessage) {
    try {
        if (!store.rewrite(rec.fileName, metadata, statusMessage)) throw sdk::HttpError(404, "auth file not found");
    } catch (const sdk::HttpError&) {
        throw;
    } catch (const std::exception& e) {
        throw sdk::HttpError(500, std::string("failed to update auth: ") + e.what());
    }
}

void handleStatus(FileCredentialStore& store, sdk::Request& req, sdk::Response& res) {
    Target t = findTarget(store, req.body());
    const sdk::Value* disabled = member(t.body, "disabled", sdk::Value::Type::Bool);
    if (!disabled) throw sdk::HttpError(400, "disabled is required");
    if (!t.record) throw sdk::HttpError(404, "auth file not found");
    const bool d = disabled->asBool();
    sdk::Value metadata = t.record->metadata;
    metadata.set("disabled", d);
    persist(store, *t.record, metadata, d ? "disabled via management API" : "");
    res.json(200, sortedObject({{"status", "ok"}, {"disabled", d}}));
}

void setOrErase(sdk::Value& metadata, const char* key, const std::string& value) {
    if (value.empty())
        metadata.erase(key);
    else
        metadata.set(key, value);
}

void handleFields(FileCredentialStore& store, sdk::Request& req, sdk::Response& res) {
    Target t = findTarget(store, req.body());
    const sdk::Value* prefix = member(t.body, "prefix", sdk::Value::Type::String);
    const sdk::Value* proxy = member(t.body, "proxy_url", sdk::Value::Type::String);
    const sdk::Value* headers = member(t.body, "headers", sdk::Value::Type::Object);
    const sdk::Value* priority = member(t.body, "priority", sdk::Value::Type::Int);
    const sdk::Value* note = member(t.body, "note", sdk::Value::Type::String);
    if (headers) {
        for (const auto& [k, v] : headers->asObject()) {
            if (!v.isString()) invalidBody();
        }
    }
    if (!t.record) throw sdk::HttpError(404, "auth file not found");

    sdk::Value metadata = t.record->metadata;
    bool changed = false;
    if (prefix) {
        setOrErase(metadata, "prefix", sdk::trimAscii(prefix->asString()));
        changed = true;
    }
    if (proxy) {
        setOrErase(metadata, "proxy_url", sdk::trimAscii(proxy->asString()));
        changed = true;
    }
    if (headers && headers->size() > 0) {
        std::map<std::string, std::string> next;
        if (const sdk::Value* h = metadata.find("headers"); h && h->isObject()) {
            for (const auto& [k, v] : h->asObject()) {
                const std::string key = sdk::trimAscii(k), val = v.isString() ? sdk::trimAscii(v.asString()) : std::string();
                if (!key.empty() && !val.empty()) next[key] = val;
            }
        }
        bool headerChanged = false;
        for (const auto& [k, v] : headers->asObject()) {
            const std::string key = sdk::trimAscii(k);
            if (key.empty()) continue;
            const std::string val = sdk::trimAscii(v.asString());
            auto it = next.find(key);
            if (val.empty()) {
                if (it != next.end()) {
                    next.erase(it);
                    headerChanged = true;
                }
            } else if (it == next.end() || it->second != val) {
                next[key] = val;
                headerChanged = true;
            }
        }
        if (headerChanged) {
            if (next.empty()) {
                metadata.erase("headers");
            } else {
                sdk::Value h = sdk::Value::object();
                for (const auto& [k, v] : next) h.set(k, v);
                metadata.set("headers", std::move(h));
            }
            changed = true;
        }
    }
    if (priority) {
        if (priority->asInt() == 0)
            metadata.erase("priority");
        else
            metadata.set("priority", priority->asInt());
        changed = true;
    }
    if (note) {
        setOrErase(metadata, "note", sdk::trimAscii(note->asString()));
        changed = true;
    }
    if (!changed) throw sdk::HttpError(400, "no fields to update");
    persist(store, *t.record, metadata, t.record->statusMessage);
    res.json(200, sdk::Value::object({{"status", "ok"}}));
}

}  // namespace

void registerAuthPatchRoutes(sdk::RouteRegistry& routes, std::shared_ptr<FileCredentialStore> store) {
    routes.route(sdk::Method::Patch, kBase + "/auth-files/status", sdk::Access::Management,
                 [store](sdk::Request& req, sdk::Response& res) { handleStatus(*store, req, res); });
    routes.route(sdk::Method::Patch, kBase + "/auth-files/fields", sdk::Access::Management,
                 [store](sdk::Request& req, sdk::Response& res) { handleFields(*store, req, res); });
}

}  // namespace cpa::oauth
