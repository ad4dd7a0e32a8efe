#include "declared_keys.hpp"

#include "config_module.hpp"
#include "config_yaml_routes.hpp"
#include "latest_version.hpp"

namespace cpa::config {

sdk::ConfigDeclaration configDeclaration(sdk::ModuleContext& context) {
    using T = sdk::ConfigType;
    sdk::ModuleContext* ctx = &context;
    return {"config",
            {
                // What its endpoints write (the scalar settings, the quota toggles).
                {"logging-to-file", T::Bool},
                {"logs-max-total-size-mb", T::Int},
                {"error-logs-max-files", T::Int},
                {"request-log", T::Bool},
                {"usage-statistics-enabled", T::Bool},
                {"ws-auth", T::Bool},
                {"force-model-prefix", T::Bool},
                {"proxy-url", T::String},
                {"request-retry", T::Int},
                {"max-retry-interval", T::Int},
                {"routing", T::Any},  // a Mapping of the proxy's (which declares its members)
                {"routing.strategy", T::String},
                {"quota-exceeded", T::Any},  // likewise the quota module's
                {"quota-exceeded.switch-project", T::Bool},
                {"quota-exceeded.switch-preview-model", T::Bool},
                // What GET /config shows besides; read by no module of cpa.
                {"pprof", T::Mapping},
                {"pprof.enable", T::Bool},
                {"pprof.addr", T::String},
                {"commercial-mode", T::Bool},
                {"enable-gemini-cli-endpoint", T::Bool},
                {"auth-auto-refresh-workers", T::Int},
                {"disable-image-generation", T::Any},
                {"antigravity-signature-cache-enabled", T::Any},
                {"antigravity-signature-bypass-strict", T::Any},
                {std::string(kReleaseUrlKey), T::Any},
                // Read by the data plane (which declares their types) and shown here.
                {"max-retry-credentials", T::Any},
                {"disable-cooling", T::Any},
                {"passthrough-headers", T::Any},
                {"nonstream-keepalive-interval", T::Any},
                {"streaming", T::Any},
                // The credential lists and OAuth maps GET /config shows are
                // declared by the modules that serve and read them.
                {"ampcode", T::Any},
                {"payload", T::Any},
                {"codex-header-defaults", T::Any},
                {"claude-header-defaults", T::Any},
            },
            [ctx](const sdk::Value& root) {
                validateConfigKeys(root);
                checkFileOnlySettingsDuringPut(*ctx, root);
            }};
}

}  // namespace cpa::config
