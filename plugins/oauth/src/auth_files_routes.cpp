#include "auth_files_routes.hpp"

#include "auth_file_entry.hpp"
#include "model_catalogue.hpp"
#include "multipart.hpp"
#include "time_values.hpp"

#include <cpa/sdk/text.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>

#include <set>

namespace cpa::oauth {

namespace {

const std::string kBase(sdk::kManagementBase);

std::string baseName(const std::string& clientName) {
    // Only the last path element of a client file name counts (either separator).
    const std::string t = sdk::trimAscii(clientName);
    const auto slash = t.find_last_of("/\\");
    return slash == std::string::npos ? t : t.substr(slash + 1);
}

struct UploadFailure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// One uploaded file (auth-files.md §7.3); returns the stored name, throws with the message.
std::string storeUpload(FileCredentialStore& store, const FormPart& part, bool* badSuffix) {
    const std::string name = baseName(part.fileName);
    if (!hasJsonSuffix(name)) {
        *badSuffix = true;
        throw UploadFailure("file must be .json");
    }
    if (!isSafeName(name)) throw UploadFailure("invalid name");
    store.writeUploaded(name, part.content);
    return name;
}

void handleUpload(FileCredentialStore& store, sdk::Request& req, sdk::Response& res) {
    const bool multipart = mediaType(req) == "multipart/form-data";
    if (multipart) {
        std::vector<FormPart> files;
        try {
            files = fileParts(parseMultipart(req));
        } catch (const std::invalid_argument& e) {
            throw sdk::HttpError(400, std::string("invalid multipart form: ") + e.what());
        }
        if (files.empty()) throw sdk::HttpError(400, "no files uploaded");
        if (files.size() == 1) {
            bool badSuffix = false;
            try {
                storeUpload(store, files[0], &badSuffix);
            } catch (const sdk::HttpError&) {
                throw;
            } catch (const std::invalid_argument& e) {
                throw sdk::HttpError(400, e.what());  // D11, as the raw upload
            } catch (const std::exception& e) {
                throw sdk::HttpError(badSuffix ? 400 : 500, e.what());
            }
            res.json(200, sdk::Value::object({{"status", "ok"}}));
            return;
        }
        sdk::Value uploaded = sdk::Value::array();
        sdk::Value failed = sdk::Value::array();
        for (const FormPart& f : files) {
            bool badSuffix = false;
            try {
                uploaded.push(storeUpload(store, f, &badSuffix));
            } catch (const std::exception& e) {
                failed.push(sortedObject({{"name", baseName(f.fileName)}, {"error", e.what()}}));
            }
        }
        const long long count = static_cast<long long>(uploaded.size());
        if (failed.size() > 0) {
            res.json(207, sortedObject({{"status", "partial"},
                                        {"uploaded", count},
                                        {"files", std::move(uploaded)},
                                        {"failed", std::move(failed)}}));
            return;
        }
        res.json(200, sortedObject({{"status", "ok"}, {"uploaded", count}, {"files", std::move(uploaded)}}));
        return;
    }
    const std::string name = sdk::trimAscii(req.query("name").value_or(""));
    if (!isSafeName(name)) throw sdk::HttpError(400, "invalid name");
    if (!hasJsonSuffix(name)) throw sdk::HttpError(400, "name must end with .json");
    try {
        store.writeUploaded(name, req.body());
    } catch (const sdk::HttpError&) {
        throw;
    } catch (const std::invalid_argument& e) {
        throw sdk::HttpError(400, e.what());  // D11
    } catch (const std::exception& e) {
        throw sdk::HttpError(500, e.what());
    }
    res.json(200, sdk::Value::object({{"status", "ok"}}));
}

// Names of a DELETE (auth-files.md §8.2): repeated ?name=, else a JSON array or object body.
std::vector<std::string> deleteNames(const sdk::Request& req) {
    std::vector<std::string> raw;
    for (const auto& [k, v] : req.queryParams()) {
        if (k == "name") raw.push_back(v);
    }
    auto unique = [](const std::vector<std::string>& in) {
        std::vector<std::string> out;
        std::set<std::string> seen;
        for (const std::string& n : in) {
            std::string t = sdk::trimAscii(n);
            if (!t.empty() && seen.insert(t).second) out.push_back(std::move(t));
        }
        return out;
    };
    std::vector<std::string> names = unique(raw);
    if (!names.empty()) return names;
    const std::string body = sdk::trimAscii(req.body());
    if (body.empty()) return {};
    sdk::Value v;
    try {
        v = sdk::parseJson(body, sdk::JsonMode::FirstValue);
    } catch (const std::exception&) {
        throw sdk::HttpError(400, "invalid request body");
    }
    raw.clear();
    if (body[0] == '[') {
        if (!v.isArray()) throw sdk::HttpError(400, "invalid request body");
        for (const auto& e : v.asArray()) {
            if (!e.isString()) throw sdk::HttpError(400, "invalid request body");
            raw.push_back(e.asString());
        }
        return unique(raw);
    }
    if (!v.isObject() && !v.isNull()) throw sdk::HttpError(400, "invalid request body");
    if (const sdk::Value* n = v.find("name"); n && !n->isNull()) {
        if (!n->isString()) throw sdk::HttpError(400, "invalid request body");
        if (!sdk::trimAscii(n->asString()).empty()) raw.push_back(n->asString());
    }
    if (const sdk::Value* ns = v.find("names"); ns && !ns->isNull()) {
        if (!ns->isArray()) throw sdk::HttpError(400, "invalid request body");
        for (const auto& e : ns->asArray()) {
            if (!e.isString()) throw sdk::HttpError(400, "invalid request body");
            raw.push_back(e.asString());
        }
    }
    return unique(raw);
}

// Deletes one name; returns {status, error message}. Only files directly in
// auth-dir are ever touched (D12), and only *.json ones.
std::pair<int, std::string> deleteOne(FileCredentialStore& store, const std::string& name) {
    if (!isSafeName(name)) return {400, "invalid name"};
    if (!hasJsonSuffix(name)) return {400, "name must end with .json"};
    std::string message;
    switch (store.remove(name, &message)) {
        case FileError::None:
            return {200, ""};
        case FileError::NotFound:
        case FileError::NotRegular:
            return {404, "auth file not found"};
        case FileError::Other:
            break;
    }
    return {500, "failed to remove file: " + message};
}

void handleDelete(FileCredentialStore& store, sdk::Request& req, sdk::Response& res) {
    const std::string all = req.query("all").value_or("");
    if (all == "true" || all == "1" || all == "*") {
        std::vector<FileInfo> files;
        try {
            files = store.dir().listJson();
        } catch (const std::exception& e) {
            throw sdk::HttpError(500, std::string("failed to read auth dir: ") + e.what());
        }
        long long deleted = 0;
        for (const FileInfo& f : files) {
            if (store.remove(f.name) == FileError::None) ++deleted;
        }
        res.json(200, sortedObject({{"status", "ok"}, {"deleted", deleted}}));
        return;
    }
    const std::vector<std::string> names = deleteNames(req);
    if (names.empty()) throw sdk::HttpError(400, "invalid name");
    if (names.size() == 1) {
        const auto [status, message] = deleteOne(store, names[0]);
        if (status != 200) throw sdk::HttpError(status, message);
        res.json(200, sdk::Value::object({{"status", "ok"}}));
        return;
    }
    sdk::Value deleted = sdk::Value::array();
    sdk::Value failed = sdk::Value::array();
    for (const std::string& n : names) {
        const auto [status, message] = deleteOne(store, n);
        if (status == 200)
            deleted.push(n);
        else
            failed.push(sortedObject({{"name", n}, {"error", message}}));
    }
    const long long count = static_cast<long long>(deleted.size());
    if (failed.size() > 0) {
        res.json(207, sortedObject({{"status", "partial"},
                                    {"deleted", count},
                                    {"files", std::move(deleted)},
                                    {"failed", std::move(failed)}}));
        return;
    }
    res.json(200, sortedObject({{"status", "ok"}, {"deleted", count}, {"files", std::move(deleted)}}));
}

void handleDownload(FileCredentialStore& store, sdk::Request& req, sdk::Response& res) {
    const std::string name = sdk::trimAscii(req.query("name").value_or(""));
    if (!isSafeName(name)) throw sdk::HttpError(400, "invalid name");
    if (!hasJsonSuffix(name)) throw sdk::HttpError(400, "name must end with .json");
    ReadResult r = store.dir().read(name);
    if (r.error == FileError::NotFound || r.error == FileError::NotRegular) throw sdk::HttpError(404, "file not found");
    if (r.error != FileError::None) throw sdk::HttpError(500, "failed to read file: " + r.message);
    res.setHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
    res.setBody(std::move(r.content), "application/json");
    res.setStatus(200);
}

}  // namespace

sdk::Value errorBody(const std::string& message) { return sdk::Value::object({{"error", message}}); }

void registerAuthFileRoutes(sdk::RouteRegistry& routes, std::shared_ptr<FileCredentialStore> store,
                            EntryOverlay overlay) {
    using sdk::Access;
    using sdk::Method;
    routes.route(Method::Get, kBase + "/auth-files", Access::Management,
                 [store, overlay](sdk::Request&, sdk::Response& res) {
                     res.json(200, authFilesListing(store->records(), nowNs(), overlay));
                 });

    // GET /auth-files/models: auth_file_models_route.cpp (needs the services).

    auto definitions = [](sdk::Request& req, sdk::Response& res) {
        std::string channel = sdk::trimAscii(req.param("channel"));
        if (channel.empty()) channel = sdk::trimAscii(req.query("channel").value_or(""));
        if (channel.empty()) throw sdk::HttpError(400, "channel is required");
        std::optional<sdk::Value> models = catalogueModels(channel);
        if (!models) {
            throw sdk::HttpError(400, sdk::Value::object({{"channel", channel}, {"error", "unknown channel"}}),
                                 "unknown channel");
        }
        std::string key = channel;
        std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
        res.json(200, sdk::Value::object({{"channel", key}, {"models", std::move(*models)}}));
    };
    routes.route(Method::Get, kBase + "/model-definitions/:channel", Access::Management, definitions);

    routes.route(Method::Get, kBase + "/auth-files/download", Access::Management,
                 [store](sdk::Request& req, sdk::Response& res) { handleDownload(*store, req, res); });
    routes.route(Method::Post, kBase + "/auth-files", Access::Management,
                 [store](sdk::Request& req, sdk::Response& res) { handleUpload(*store, req, res); });
    routes.route(Method::Delete, kBase + "/auth-files", Access::Management,
                 [store](sdk::Request& req, sdk::Response& res) { handleDelete(*store, req, res); });
}

}  // namespace cpa::oauth
