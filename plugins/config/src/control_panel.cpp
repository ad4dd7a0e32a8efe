#include "control_panel.hpp"

#include "file_text.hpp"

namespace cpa::config {

void registerControlPanel(sdk::RouteRegistry& routes, sdk::ModuleContext& context) {
    sdk::ModuleContext* ctx = &context;
    routes.route(sdk::Method::Get, "/management.html", sdk::Access::Public, [ctx](sdk::Request&, sdk::Response& res) {
        // Like the original: an empty 404 when disabled or absent.
        if (ctx->config().snapshot()->getBool("remote-management.disable-control-panel", false)) {
            res.noContent(404);
            return;
        }
        const std::string path = ctx->paths().configDir + "/static/management.html";
        const FileText file = readFileText(path);
        if (file.status == FileText::Status::Missing) {
            res.noContent(404);
            return;
        }
        if (file.status == FileText::Status::Failed) {
            ctx->logger().error("cannot read the control panel " + path + ": " + file.error);
            res.noContent(500);
            return;
        }
        res.setStatus(200);
        res.setBody(file.text, "text/html; charset=utf-8");
    });
}

}  // namespace cpa::config
