#include "api_keys.hpp"

#include <cpa/sdk/body.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/key_list_resource.hpp>

#include <algorithm>

namespace cpa::provider_keys {

namespace {

using sdk::Value;

const char* kKey = "api-keys";
const Value kOk = Value::object({{"status", "ok"}});

[[noreturn]] void invalidBody() { throw sdk::HttpError(400, "invalid body"); }

/// The stored strings (scalars of a hand-edited file read as text).
std::vector<std::string> storedKeys(const Value& root) {
    std::vector<std::string> out;
    const Value* list = root.find(kKey);
    if (list == nullptr || !list->isArray()) return out;
    for (const Value& v : list->asArray()) {
        if (v.isString()) {
            out.push_back(v.asString());
        } else if (v.isInt()) {
            out.push_back(std::to_string(v.asInt()));
        } else if (v.isBool()) {
            out.push_back(v.asBool() ? "true" : "false");
        } else if (v.isNull()) {
            out.emplace_back();
        }
    }
    return out;
}

/// A JSON array of strings (null items read as "", as Go does); nullopt otherwise.
std::optional<std::vector<std::string>> stringArray(const Value& v) {
    if (!v.isArray()) return std::nullopt;
    std::vector<std::string> out;
    for (const Value& item : v.asArray()) {
        if (item.isNull()) {
            out.emplace_back();
        } else if (item.isString()) {
            out.push_back(item.asString());
        } else {
            return std::nullopt;
        }
    }
    return out;
}

void store(sdk::ConfigStore& config, const std::function<void(std::vector<std::string>&)>& edit) {
    config.update([&](Value& root) {
        std::vector<std::string> keys = storedKeys(root);
        edit(keys);
        const Value* existing = root.find(kKey);
        if (keys.empty() && (existing == nullptr || existing->isNull())) return;
        Value list = Value::array();
        for (auto& k : keys) list.push(std::move(k));
        root.set(kKey, std::move(list));
    });
}

}  // namespace

void registerApiKeys(sdk::RouteRegistry& routes, sdk::ConfigStore& config) {
    const std::string path = std::string(sdk::kManagementBase) + "/api-keys";
    sdk::ConfigStore* cfg = &config;

    routes.route(sdk::Method::Get, path, sdk::Access::Management, [cfg](sdk::Request&, sdk::Response& res) {
        const std::vector<std::string> keys = storedKeys(cfg->snapshot()->root());
        Value list;  // null when empty, like the original's nil slice
        if (!keys.empty()) {
            list = Value::array();
            for (const auto& k : keys) list.push(k);
        }
        res.json(200, Value::object({{kKey, std::move(list)}}));
    });

    routes.route(sdk::Method::Put, path, sdk::Access::Management, [cfg](sdk::Request& req, sdk::Response& res) {
        Value doc;
        try {
            doc = sdk::parseJson(req.body(), sdk::JsonMode::Document);
        } catch (const std::exception&) {
            invalidBody();
        }
        std::optional<std::vector<std::string>> keys;
        if (doc.isNull()) {
            keys.emplace();
        } else if (doc.isArray()) {
            keys = stringArray(doc);
        } else if (doc.isObject()) {
            const Value* items = sdk::boundMember(doc, "items");
            if (items != nullptr && items->size() > 0) keys = stringArray(*items);
        }
        if (!keys) invalidBody();
        store(*cfg, [&](std::vector<std::string>& stored) { stored = *keys; });
        res.json(200, kOk);
    });

    routes.route(sdk::Method::Patch, path, sdk::Access::Management, [cfg](sdk::Request& req, sdk::Response& res) {
        const auto body = sdk::boundObject(req.body());
        if (!body) invalidBody();
        const Value* oldV = sdk::boundMember(*body, "old");
        const Value* newV = sdk::boundMember(*body, "new");
        const Value* index = sdk::boundMember(*body, "index");
        const Value* value = sdk::boundMember(*body, "value");
        for (const Value* s : {oldV, newV, value}) {
            if (s != nullptr && !s->isString()) invalidBody();
        }
        if (index != nullptr && !index->isInt()) invalidBody();
        if (!(index && value) && !(oldV && newV)) throw sdk::HttpError(400, "missing fields");
        store(*cfg, [&](std::vector<std::string>& keys) {
            if (index && value && index->asInt() >= 0 && static_cast<std::uint64_t>(index->asInt()) < keys.size()) {
                keys[static_cast<std::size_t>(index->asInt())] = value->asString();
                return;
            }
            if (!(oldV && newV)) throw sdk::HttpError(400, "missing fields");
            // Replace the first exact match, or append (the original's upsert).
            const auto it = std::find(keys.begin(), keys.end(), oldV->asString());
            if (it != keys.end()) {
                *it = newV->asString();
            } else {
                keys.push_back(newV->asString());
            }
        });
        res.json(200, kOk);
    });

    routes.route(sdk::Method::Delete, path, sdk::Access::Management, [cfg](sdk::Request& req, sdk::Response& res) {
        const auto index = sdk::parseIndexParam(req.query("index").value_or(""));
        const std::string value = sdk::trimSpace(req.query("value").value_or(""));
        store(*cfg, [&](std::vector<std::string>& keys) {
            if (index && *index >= 0 && static_cast<std::uint64_t>(*index) < keys.size()) {
                keys.erase(keys.begin() + static_cast<std::ptrdiff_t>(*index));
            } else if (!value.empty()) {
                std::erase_if(keys, [&](const std::string& k) { return sdk::trimSpace(k) == value; });
            } else {
                throw sdk::HttpError(400, "missing index or value");
            }
        });
        res.json(200, kOk);
    });
}

}  // namespace cpa::provider_keys
