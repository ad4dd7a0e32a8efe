#include "ampcode_routes.hpp"

#include "ampcode_lists.hpp"
#include "config_view.hpp"
#include "scalar_settings.hpp"
#include "text_util.hpp"

#include <cpa/sdk/body.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/text.hpp>

#include <functional>
#include <string>

namespace cpa::config {
namespace {

using sdk::Value;

[[noreturn]] void invalidBody() { throw sdk::HttpError(400, "invalid body"); }

const Value* ampBlock(const sdk::ConfigSnapshot& snap) { return snap.find("ampcode"); }

void ok(sdk::Response& res) { res.json(200, Value::object({{"status", "ok"}})); }

/// Replaces `ampcode.<key>`; an absent key set to its default is not added.
void storeMember(sdk::ModuleContext& ctx, const std::string& key, const Value& value, const Value& fallback) {
    ctx.config().update([&](Value& root) { applySetting(root, "ampcode." + key, value, fallback); });
    ctx.logger().info("ampcode." + key + " updated");  // values may be secrets: never logged
}

/// Edits the `ampcode` block's list member `key` with `edit` (null = remove).
void storeList(sdk::ModuleContext& ctx, const std::string& key, const std::function<Value(const Value*)>& edit) {
    ctx.config().update([&](Value& root) {
        const Value* amp = root.find("ampcode");
        const Value* current = amp && amp->isObject() ? amp->find(key) : nullptr;
        Value next = edit(current);
        if (next.isNull()) {
            if (Value* a = root.find("ampcode"); a && a->isObject()) a->erase(key);
            return;
        }
        if (!root.find("ampcode") || !root.find("ampcode")->isObject()) root.set("ampcode", Value::object());
        root.find("ampcode")->set(key, std::move(next));
    });
    ctx.logger().info("ampcode." + key + " updated");
}

void stringMember(sdk::RouteRegistry& routes, sdk::ModuleContext* ctx, const std::string& key) {
    const std::string path = std::string(sdk::kManagementBase) + "/ampcode/" + key;
    routes.route(sdk::Method::Get, path, sdk::Access::Management, [ctx, key](sdk::Request&, sdk::Response& res) {
        res.json(200, Value::object({{key, ampcodeView(ampBlock(*ctx->config().snapshot())).find(key)->asString()}}));
    });
    auto put = [ctx, key](sdk::Request& req, sdk::Response& res) {
        const auto v = sdk::boundStringValue(req.body());
        if (!v) invalidBody();
        storeMember(*ctx, key, Value(sdk::trimAscii(*v)), Value(""));
        ok(res);
    };
    routes.route(sdk::Method::Put, path, sdk::Access::Management, put);
    routes.route(sdk::Method::Patch, path, sdk::Access::Management, put);
    routes.route(sdk::Method::Delete, path, sdk::Access::Management, [ctx, key](sdk::Request&, sdk::Response& res) {
        storeMember(*ctx, key, Value(""), Value(""));
        ok(res);
    });
}

void boolMember(sdk::RouteRegistry& routes, sdk::ModuleContext* ctx, const std::string& key) {
    const std::string path = std::string(sdk::kManagementBase) + "/ampcode/" + key;
    routes.route(sdk::Method::Get, path, sdk::Access::Management, [ctx, key](sdk::Request&, sdk::Response& res) {
        res.json(200, Value::object({{key, ampcodeView(ampBlock(*ctx->config().snapshot())).find(key)->asBool()}}));
    });
    auto put = [ctx, key](sdk::Request& req, sdk::Response& res) {
        const auto v = sdk::boundBoolValue(req.body());
        if (!v) invalidBody();
        storeMember(*ctx, key, Value(*v), Value(false));
        ok(res);
    };
    routes.route(sdk::Method::Put, path, sdk::Access::Management, put);
    routes.route(sdk::Method::Patch, path, sdk::Access::Management, put);
}

/// GET/PUT/PATCH/DELETE of a list member, the list rules in ampcode_lists.
void listMember(sdk::RouteRegistry& routes, sdk::ModuleContext* ctx, const AmpList& list) {
    const std::string path = std::string(sdk::kManagementBase) + "/ampcode/" + list.key;
    routes.route(sdk::Method::Get, path, sdk::Access::Management, [ctx, list](sdk::Request&, sdk::Response& res) {
        const Value* amp = ampBlock(*ctx->config().snapshot());
        const Value* stored = amp && amp->isObject() ? amp->find(list.key) : nullptr;
        res.json(200, Value::object({{list.key, list.view(stored)}}));
    });
    routes.route(sdk::Method::Put, path, sdk::Access::Management, [ctx, list](sdk::Request& req, sdk::Response& res) {
        const Value next = list.put(req.body());  // throws 400 before anything is written
        storeList(*ctx, list.key, [&](const Value*) { return next; });
        ok(res);
    });
    routes.route(sdk::Method::Patch, path, sdk::Access::Management, [ctx, list](sdk::Request& req, sdk::Response& res) {
        const Value items = list.patchItems(req.body());
        storeList(*ctx, list.key, [&](const Value* cur) { return upsertByKey(cur, items, list.matchKey); });
        ok(res);
    });
    routes.route(sdk::Method::Delete, path, sdk::Access::Management, [ctx, list](sdk::Request& req, sdk::Response& res) {
        const AmpDeletion del = list.deletion(req.body());
        storeList(*ctx, list.key, [&](const Value* cur) { return applyDeletion(cur, del, list.matchKey); });
        ok(res);
    });
}

}  // namespace

void registerAmpcodeRoutes(sdk::RouteRegistry& routes, sdk::ModuleContext& context) {
    sdk::ModuleContext* ctx = &context;
    routes.route(sdk::Method::Get, std::string(sdk::kManagementBase) + "/ampcode", sdk::Access::Management,
                 [ctx](sdk::Request&, sdk::Response& res) {
                     res.json(200, Value::object({{"ampcode", ampcodeView(ampBlock(*ctx->config().snapshot()))}}));
                 });
    stringMember(routes, ctx, "upstream-url");
    stringMember(routes, ctx, "upstream-api-key");
    boolMember(routes, ctx, "restrict-management-to-localhost");
    boolMember(routes, ctx, "force-model-mappings");
    listMember(routes, ctx, modelMappingsList());
    listMember(routes, ctx, upstreamApiKeysList());
}

}  // namespace cpa::config
