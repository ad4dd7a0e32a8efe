// POST /vertex/import (auth-files.md §11): a Google service-account key
// becomes vertex-<project>.json, registered at once.
#include "auth_file_entry.hpp"
#include "auth_files_routes.hpp"
#include "multipart.hpp"
#include "service_account_key.hpp"

#include <cpa/sdk/text.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>

namespace cpa::oauth {

namespace {

std::string asText(const sdk::Value* v) {
    if (!v || v->isNull()) return "";
    if (v->isString()) return v->asString();
    return sdk::toJson(*v);
}

std::string filePart(const std::string& projectId) {
    std::string out;
    for (char c : sdk::trimAscii(projectId)) {
        if (c == '/' || c == '\\' || c == ':')
            out.push_back('_');
        else if (c == ' ')
            out.push_back('-');
        else
            out.push_back(c);
    }
    return out.empty() ? "vertex" : out;
}

sdk::Value sorted(const sdk::Value& v) {
    if (!v.isObject()) return v;
    sdk::Value::Object m;
    for (const auto& [k, e] : v.asObject()) m.emplace_back(k, sorted(e));
    return sortedObject(std::move(m));
}

void handleImport(FileCredentialStore& store, sdk::Request& req, sdk::Response& res) {
    std::vector<FormPart> parts;
    if (mediaType(req) == "multipart/form-data") {
        try {
            parts = parseMultipart(req);
        } catch (const std::invalid_argument&) {
            throw sdk::HttpError(400, "file required");
        }
    }
    const FormPart* file = nullptr;
    for (const FormPart& p : parts) {
        if (p.field == "file" && !p.fileName.empty()) {
            file = &p;
            break;
        }
    }
    if (!file) throw sdk::HttpError(400, "file required");

    sdk::Value sa;
    try {
        sa = sdk::parseJson(file->content);
        if (!sa.isObject()) throw sdk::JsonError("json: cannot unmarshal non-object into map");
    } catch (const std::exception& e) {
        throw sdk::HttpError(400, sdk::Value::object({{"error", "invalid json"}, {"message", e.what()}}), "invalid json");
    }
    const sdk::Value* pk = sa.find("private_key");
    const std::string rawKey = pk && pk->isString() ? pk->asString() : std::string();
    try {
        if (sdk::trimAscii(rawKey).empty()) throw std::invalid_argument("service account missing private_key");
        sa.set("private_key", normalizePrivateKey(rawKey));
    } catch (const std::invalid_argument& e) {
        throw sdk::HttpError(400, sdk::Value::object({{"error", "invalid service account"}, {"message", e.what()}}),
                             "invalid service account");
    }
    const std::string projectId = sdk::trimAscii(asText(sa.find("project_id")));
    if (projectId.empty()) throw sdk::HttpError(400, "project_id missing");
    const std::string email = sdk::trimAscii(asText(sa.find("client_email")));
    std::string location = sdk::trimAscii(formValue(parts, "location").value_or(""));
    if (location.empty()) location = sdk::trimAscii(req.query("location").value_or(""));
    if (location.empty()) location = "us-central1";

    sdk::Value content = sdk::Value::object();
    content.set("service_account", sorted(sa));
    content.set("project_id", projectId);
    content.set("email", email);
    content.set("location", location);
    content.set("type", "vertex");
    const std::string name = "vertex-" + filePart(projectId) + ".json";
    StoredPtr rec;
    try {
        if (!isSafeName(name)) throw std::runtime_error("invalid file name");
        rec = store.writeUploaded(name, sdk::toJson(content, 2) + "\n");
    } catch (const std::exception& e) {
        throw sdk::HttpError(500, sdk::Value::object({{"error", "save_failed"}, {"message", e.what()}}), "save_failed");
    }
    res.json(200, sortedObject({{"status", "ok"},
                                {"auth-file", rec ? rec->path.string() : (store.authDir() / name).string()},
                                {"project_id", projectId},
                                {"email", email},
                                {"location", location}}));
}

}  // namespace

void registerVertexImportRoute(sdk::RouteRegistry& routes, std::shared_ptr<FileCredentialStore> store) {
    routes.route(sdk::Method::Post, std::string(sdk::kManagementBase) + "/vertex/import", sdk::Access::Management,
                 [store](sdk::Request& req, sdk::Response& res) { handleImport(*store, req, res); });
}

}  // namespace cpa::oauth
