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
                {"pprof", T::Mapping},
                {"pprof.enable", T::Bool},
                {"pprof.addr", T::String},
                {"commercial-mode", T::Bool},
                {"logging-to-file", T::Bool},
                {"logs-max-total-size-mb", T::Int},
                {"error-logs-max-files", T::Int},
                {"request-log", T::Bool},
                {"usage-statistics-enabled", T::Bool},
                {"proxy-url", T::String},
                {"request-retry", T::Int},
                {"max-retry-credentials", T::Int},
                {"max-retry-interval", T::Int},
                {"disable-cooling", T::Bool},
                {"quota-exceeded", T::Mapping},
                {"quota-exceeded.switch-project", T::Bool},
                {"quota-exceeded.switch-preview-model", T::Bool},
                {"quota-exceeded.antigravity-credits", T::Bool},
                {"routing", T::Mapping},
                {"routing.strategy", T::String},
                {"routing.session-affinity", T::Bool},
                {"routing.session-affinity-ttl", T::Any},
                {"routing.claude-code-session-affinity", T::Any},
                {"force-model-prefix", T::Bool},
                {"ws-auth", T::Bool},
                {"passthrough-headers", T::Bool},
                {"enable-gemini-cli-endpoint", T::Bool},
                {"nonstream-keepalive-interval", T::Int},
                {"streaming", T::Mapping},
                {"streaming.keepalive-seconds", T::Int},
                {"streaming.bootstrap-retries", T::Int},
                {"auth-auto-refresh-workers", T::Int},
                {"disable-image-generation", T::Any},
                {"antigravity-signature-cache-enabled", T::Any},
                {"antigravity-signature-bypass-strict", T::Any},
                {std::string(kReleaseUrlKey), T::Any},
                // Lists and maps shown by GET /config; their entries are the
                // business of the modules that serve them.
                {"gemini-api-key", T::Any},
                {"claude-api-key", T::Any},
                {"codex-api-key", T::Any},
                {"vertex-api-key", T::Any},
                {"openai-compatibility", T::Any},
                {"oauth-excluded-models", T::Any},
                {"oauth-model-alias", T::Any},
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
