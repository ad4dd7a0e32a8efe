// GET /config's JSON shape (management-api-core.md §5.1–§5.2).
#include "config_view.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

namespace cpa::config {
namespace {

using sdk::Value;

Value view(const std::string& json) { return configView(sdk::parseJson(json)); }

TEST(ConfigView, MatchesTheOriginalsExampleForAMinimalFile) {
    const Value v = view(R"({"port":8317,"remote-management":{"secret-key":"$2a$10$abc"},"auth-dir":"~/x",
                             "api-keys":["k1"]})");
    const std::string expected =
        R"({"proxy-url":"","disable-image-generation":false,"enable-gemini-cli-endpoint":false,)"
        R"("force-model-prefix":false,"request-log":false,"api-keys":["k1"],"passthrough-headers":false,)"
        R"("streaming":{},"tls":{"enable":false,"cert":"","key":""},"debug":false,)"
        R"("pprof":{"enable":false,"addr":"127.0.0.1:8316"},"commercial-mode":false,)"
        R"("logging-to-file":false,"logs-max-total-size-mb":0,"error-logs-max-files":10,)"
        R"("usage-statistics-enabled":false,"disable-cooling":false,"auth-auto-refresh-workers":0,)"
        R"("request-retry":0,"max-retry-credentials":0,"max-retry-interval":0,)"
        R"("quota-exceeded":{"switch-project":false,"switch-preview-model":false,"antigravity-credits":false},)"
        R"("routing":{},"ws-auth":false,"gemini-api-key":null,"codex-api-key":null,)"
        R"("codex-header-defaults":{"user-agent":"","beta-features":""},"claude-api-key":null,)"
        R"("claude-header-defaults":{"user-agent":"","package-version":"","runtime-version":"","os":"","arch":"","timeout":""},)"
        R"("openai-compatibility":null,"vertex-api-key":null,)"
        R"("ampcode":{"upstream-url":"","upstream-api-key":"","restrict-management-to-localhost":false,"model-mappings":null,"force-model-mappings":false},)"
        R"("payload":{"default":null,"default-raw":null,"override":null,"override-raw":null,"filter":null}})";
    EXPECT_EQ(sdk::toJson(v), expected);
}

TEST(ConfigView, NeverExposesServerOrManagementKeys) {
    const Value v = view(R"({"host":"0.0.0.0","port":1,"auth-dir":"/a","remote-management":{"allow-remote":true}})");
    for (const char* k : {"host", "port", "auth-dir", "remote-management"}) EXPECT_FALSE(v.contains(k)) << k;
}

TEST(ConfigView, EmptyListsWrittenAsBracketsStayEmptyArrays) {
    const Value v = view(R"({"api-keys":[],"gemini-api-key":[],"claude-api-key":null})");
    EXPECT_EQ(sdk::toJson(*v.find("api-keys")), "[]");
    EXPECT_EQ(sdk::toJson(*v.find("gemini-api-key")), "[]");
    EXPECT_TRUE(v.find("claude-api-key")->isNull());
}

TEST(ConfigView, LoadTimeNormalisationOfScalars) {
    const Value v = view(R"({"logs-max-total-size-mb":-4,"error-logs-max-files":-1,"max-retry-credentials":-2,
                             "request-retry":-3,"pprof":{"addr":"  "},"disable-image-generation":"Chat",
                             "nonstream-keepalive-interval":5,"streaming":{"keepalive-seconds":15},
                             "routing":{"strategy":"ff","session-affinity":true},
                             "antigravity-signature-cache-enabled":false,"proxy-url":"socks5://h:1"})");
    EXPECT_EQ(v.find("logs-max-total-size-mb")->asInt(), 0);
    EXPECT_EQ(v.find("error-logs-max-files")->asInt(), 10);
    EXPECT_EQ(v.find("max-retry-credentials")->asInt(), 0);
    EXPECT_EQ(v.find("request-retry")->asInt(), -3);  // stored verbatim, like the original
    EXPECT_EQ(v.findPath("pprof.addr")->asString(), "127.0.0.1:8316");
    EXPECT_EQ(v.find("disable-image-generation")->asString(), "chat");
    EXPECT_EQ(v.find("nonstream-keepalive-interval")->asInt(), 5);
    EXPECT_EQ(sdk::toJson(*v.find("streaming")), R"({"keepalive-seconds":15})");
    EXPECT_EQ(sdk::toJson(*v.find("routing")), R"({"strategy":"ff","session-affinity":true})");
    EXPECT_FALSE(v.find("antigravity-signature-cache-enabled")->asBool());
    EXPECT_FALSE(v.contains("antigravity-signature-bypass-strict"));
    EXPECT_EQ(v.find("proxy-url")->asString(), "socks5://h:1");
    EXPECT_EQ(view(R"({"disable-image-generation":"yes"})").find("disable-image-generation")->asBool(), true);
}

TEST(ConfigView, ProviderEntriesFollowTheOriginalsShapes) {
    const Value v = view(R"({
      "gemini-api-key":[{"api-key":" g1 ","prefix":"/team/","headers":{" X-A ":" 1 ","X-B":" "},
                         "excluded-models":["A*"," a* ",""]},
                        {"api-key":"g1"},{"api-key":"  "}],
      "claude-api-key":[{"api-key":"c1","cloak":{"mode":"auto"}}],
      "codex-api-key":[{"api-key":"x1","base-url":" https://c "},{"api-key":"x2"}],
      "vertex-api-key":[{"api-key":"v1","models":[{"name":" m ","alias":"a"},{"name":"n","alias":""}]}],
      "openai-compatibility":[{"name":" or ","base-url":"https://o","api-key-entries":[{"api-key":"k"}],
                               "models":[{"name":"m","alias":"a","thinking":{"levels":["low"],"zero-allowed":true}}]},
                              {"name":"gone","base-url":" "}]})");
    EXPECT_EQ(sdk::toJson(*v.find("gemini-api-key")),
              R"([{"api-key":"g1","prefix":"team","headers":{"X-A":"1"},"excluded-models":["a*"]}])");
    EXPECT_EQ(sdk::toJson(*v.find("claude-api-key")),
              R"([{"api-key":"c1","base-url":"","proxy-url":"","models":null,"cloak":{"mode":"auto"}}])");
    EXPECT_EQ(sdk::toJson(*v.find("codex-api-key")),
              R"([{"api-key":"x1","base-url":"https://c","proxy-url":"","models":null}])");
    EXPECT_EQ(sdk::toJson(*v.find("vertex-api-key")), R"([{"api-key":"v1","models":[{"name":"m","alias":"a"}]}])");
    EXPECT_EQ(sdk::toJson(*v.find("openai-compatibility")),
              R"([{"name":"or","base-url":"https://o","api-key-entries":[{"api-key":"k"}],)"
              R"("models":[{"name":"m","alias":"a","thinking":{"zero_allowed":true,"levels":["low"]}}]}])");
}

TEST(ConfigView, OAuthMapsAreNormalisedAndOmittedWhenEmpty) {
    const Value v = view(R"({"oauth-excluded-models":{" Codex ":["M1","m1"],"x":[]},
                             "oauth-model-alias":{"claude":[{"name":"a","alias":"A"},{"name":"b","alias":"c","fork":true},
                                                             {"name":"d","alias":"C"}],"empty":[]}})");
    EXPECT_EQ(sdk::toJson(*v.find("oauth-excluded-models")), R"({"codex":["m1"]})");
    EXPECT_EQ(sdk::toJson(*v.find("oauth-model-alias")), R"({"claude":[{"name":"b","alias":"c","fork":true}]})");
    const Value none = view(R"({"oauth-excluded-models":{},"oauth-model-alias":{"x":[]}})");
    EXPECT_FALSE(none.contains("oauth-excluded-models"));
    EXPECT_FALSE(none.contains("oauth-model-alias"));
}

TEST(ConfigView, RawPayloadRulesWithInvalidJsonAreDropped) {
    const Value v = view(R"({"payload":{"default-raw":[{"params":{"a":"{\"x\":1}"}},{"params":{"b":"{oops"}},
                                                         {"params":{}}],
                                         "filter":[{"models":[{"name":"m"}],"params":["p"]}]}})");
    EXPECT_EQ(sdk::toJson(*v.findPath("payload.default-raw")), R"([{"models":null,"params":{"a":"{\"x\":1}"}}])");
    EXPECT_EQ(sdk::toJson(*v.findPath("payload.filter")), R"([{"models":[{"name":"m","protocol":""}],"params":["p"]}])");
}

}  // namespace
}  // namespace cpa::config
