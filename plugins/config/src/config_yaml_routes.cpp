#include "config_yaml_routes.hpp"

#include "file_only_guard.hpp"
#include "file_text.hpp"
#include "text_util.hpp"

#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/text.hpp>

#include <stdexcept>

namespace cpa::config {
namespace {

using sdk::Value;

thread_local bool tPutInProgress = false;
thread_local const std::string* tPresentedKey = nullptr;

/// Marks this thread as running a PUT /config.yaml for the validator, with
/// the management key the request presented (already verified by the core).
class PutScope {
public:
    explicit PutScope(const std::string& presentedKey) {
        tPutInProgress = true;
        tPresentedKey = &presentedKey;
    }
    ~PutScope() {
        tPutInProgress = false;
        tPresentedKey = nullptr;
    }
    PutScope(const PutScope&) = delete;
    PutScope& operator=(const PutScope&) = delete;
};

Value errorBody(std::string code, std::string message) {
    return Value::object({{"error", std::move(code)}, {"message", std::move(message)}});
}

void getYaml(sdk::ModuleContext& ctx, sdk::Response& res) {
    // A shared store (no local file): the document is the published snapshot.
    const FileText file = ctx.paths().configFile.empty()
                              ? FileText{FileText::Status::Ok, ctx.config().snapshot()->text(), {}}
                              : readFileText(ctx.paths().configFile);
    if (file.status == FileText::Status::Missing) {
        res.json(404, errorBody("not_found", "config file not found"));
        return;
    }
    if (file.status == FileText::Status::Failed) {
        res.json(500, errorBody("read_failed", "read " + ctx.paths().configFile + ": " + file.error));
        return;
    }
    res.setStatus(200);
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setBody(file.text, "application/yaml; charset=utf-8");
}

void putYaml(sdk::ModuleContext& ctx, sdk::Request& req, sdk::Response& res) {
    const std::string& body = req.body();
    if (sdk::trimAscii(body).empty()) {  // D5: an empty document would wipe the config
        res.json(400, errorBody("invalid_yaml", "empty body"));
        return;
    }
    const std::string presented = sdk::presentedManagementKey(req);
    try {
        PutScope scope(presented);
        // Parses, validates (core rules, modules' validators, D5), hashes a
        // plaintext secret before anything is written (D4), writes the text
        // as given atomically, reads it back and publishes.
        ctx.config().replaceText(body);
    } catch (const sdk::HttpError& e) {
        const std::string detail = e.what();
        ctx.logger().error("PUT /config.yaml: " + detail);
        if (detail.find("verification failed") != std::string::npos) {
            res.json(500, errorBody("reload_failed", "the written config did not read back as sent"));
        } else {
            res.json(500, errorBody("write_failed", "failed to write config"));
        }
        return;
    } catch (const std::invalid_argument& e) {
        const std::string detail = e.what();
        if (detail.find(kFileOnlyMessage) != std::string::npos) {
            res.json(422, errorBody("invalid_config", std::string(kFileOnlyMessage)));
        } else if (detail.find("failed to hash remote management key") != std::string::npos) {
            res.json(422, errorBody("invalid_config", detail));
        } else {
            res.json(400, errorBody("invalid_yaml", detail));
        }
        return;
    }
    ctx.logger().info("config.yaml replaced through the management API");
    res.json(200, Value::object({{"ok", true}, {"changed", Value(Value::Array{Value("config")})}}));
}

}  // namespace

void checkFileOnlySettingsDuringPut(sdk::ModuleContext& context, const Value& candidate) {
    if (!tPutInProgress) return;
    const sdk::SnapshotPtr current = context.config().snapshot();
    if (current && !keepsFileOnlySettings(current->root(), candidate, tPresentedKey ? *tPresentedKey : "")) {
        throw std::invalid_argument(std::string(kFileOnlyMessage));
    }
}

void registerConfigYamlRoutes(sdk::RouteRegistry& routes, sdk::ModuleContext& context) {
    sdk::ModuleContext* ctx = &context;
    const std::string path = std::string(sdk::kManagementBase) + "/config.yaml";
    routes.route(sdk::Method::Get, path, sdk::Access::Management,
                 [ctx](sdk::Request&, sdk::Response& res) { getYaml(*ctx, res); });
    routes.route(sdk::Method::Put, path, sdk::Access::Management,
                 [ctx](sdk::Request& req, sdk::Response& res) { putYaml(*ctx, req, res); });
    // A whole document, not a JSON value: as large as the store will parse.
    routes.setBodyLimit(sdk::Method::Put, path, sdk::kMaxConfigDocumentBytes);
}

}  // namespace cpa::config
