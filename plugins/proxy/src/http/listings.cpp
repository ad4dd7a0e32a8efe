#include "http/listings.hpp"

#include <algorithm>

namespace cpa::proxy {

namespace {

std::string str(const sdk::Value& m, std::string_view key) {
    const sdk::Value* v = m.find(key);
    return v ? v->stringOr("") : std::string();
}

std::int64_t num(const sdk::Value& m, std::string_view key) {
    const sdk::Value* v = m.find(key);
    return v ? v->intOr(0) : 0;
}

bool nonEmptyList(const sdk::Value* v) { return v && v->isArray() && v->size() > 0; }

/// The original's "gemini" conversion (map keys, so alphabetical order).
sdk::Value geminiItem(const sdk::Value& m) {
    sdk::Value out = sdk::Value::object();
    const std::string name = str(m, "name").empty() ? str(m, "id") : str(m, "name");
    if (!str(m, "description").empty()) out.set("description", str(m, "description"));
    if (!str(m, "display_name").empty()) out.set("displayName", str(m, "display_name"));
    if (num(m, "inputTokenLimit") > 0) out.set("inputTokenLimit", num(m, "inputTokenLimit"));
    out.set("name", name);
    if (num(m, "outputTokenLimit") > 0) out.set("outputTokenLimit", num(m, "outputTokenLimit"));
    for (const char* key : {"supportedGenerationMethods", "supportedInputModalities", "supportedOutputModalities"})
        if (nonEmptyList(m.find(key))) out.set(key, *m.find(key));
    if (!str(m, "version").empty()) out.set("version", str(m, "version"));
    return out;
}

std::string withModelsPrefix(const std::string& name) {
    return name.rfind("models/", 0) == 0 ? name : "models/" + name;
}

}  // namespace

sdk::Value openAIModelList(const std::vector<sdk::Value>& models) {
    sdk::Value data = sdk::Value::array();
    for (const sdk::Value& m : models) {
        sdk::Value item = sdk::Value::object({{"id", str(m, "id")}, {"object", "model"}});
        if (num(m, "created") != 0) item.set("created", num(m, "created"));
        item.set("owned_by", str(m, "owned_by"));
        data.push(std::move(item));
    }
    return sdk::Value::object({{"object", "list"}, {"data", std::move(data)}});
}

sdk::Value claudeModelList(const std::vector<sdk::Value>& models) {
    sdk::Value data = sdk::Value::array();
    for (const sdk::Value& m : models) {
        sdk::Value item = sdk::Value::object({{"id", str(m, "id")}, {"object", "model"}, {"owned_by", str(m, "owned_by")}});
        if (num(m, "created") > 0) item.set("created_at", num(m, "created"));
        if (!str(m, "type").empty()) item.set("type", "model");
        if (!str(m, "display_name").empty()) item.set("display_name", str(m, "display_name"));
        data.push(std::move(item));
    }
    const std::string first = models.empty() ? "" : str(models.front(), "id");
    const std::string last = models.empty() ? "" : str(models.back(), "id");
    return sdk::Value::object({{"data", std::move(data)}, {"has_more", false}, {"first_id", first}, {"last_id", last}});
}

sdk::Value geminiModelList(const std::vector<sdk::Value>& models) {
    sdk::Value list = sdk::Value::array();
    for (const sdk::Value& m : models) {
        sdk::Value item = geminiItem(m);
        const std::string name = item.find("name")->asString();
        if (!name.empty()) {
            item.set("name", withModelsPrefix(name));
            if (str(item, "displayName").empty()) item.set("displayName", name);
            if (str(item, "description").empty()) item.set("description", name);
        }
        if (!item.find("supportedGenerationMethods"))
            item.set("supportedGenerationMethods", sdk::Value(sdk::Value::Array{sdk::Value("generateContent")}));
        // Keep the alphabetical member order after the defaults were added.
        sdk::Value::Object& members = item.asObject();
        std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        list.push(std::move(item));
    }
    return sdk::Value::object({{"models", std::move(list)}});
}

std::optional<sdk::Value> geminiModel(const std::vector<sdk::Value>& models, const std::string& nameIn) {
    const std::string action = !nameIn.empty() && nameIn.front() == '/' ? nameIn.substr(1) : nameIn;
    for (const sdk::Value& m : models) {
        sdk::Value item = geminiItem(m);
        const std::string name = item.find("name")->asString();
        if (name == action || name == "models/" + action) {
            if (!name.empty()) item.set("name", withModelsPrefix(name));
            return item;
        }
    }
    return std::nullopt;
}

}  // namespace cpa::proxy
