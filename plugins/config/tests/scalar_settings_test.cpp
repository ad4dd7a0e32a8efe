// The scalar settings through the module's routes (management-api-core.md §5.5, §5.7, §5.8).
#include "module_fixture.hpp"
#include "scalar_settings.hpp"

namespace cpa::config {
namespace {

using sdk::Method;
using sdk::Value;
using test::json;
using test::ModuleFixture;

class ScalarSettings : public ModuleFixture {};

const char* const kBools[] = {"debug", "logging-to-file", "usage-statistics-enabled", "request-log", "ws-auth",
                              "force-model-prefix"};

TEST_F(ScalarSettings, BooleansDefaultToFalseAndPutPatchBothSet) {
    for (const std::string name : kBools) {
        EXPECT_EQ(json(mgmt(Method::Get, "/" + name)), "{\"" + name + "\":false}");
        auto put = mgmt(Method::Put, "/" + name, R"({"value":true})");
        EXPECT_EQ(put.status(), 200) << name;
        EXPECT_EQ(json(put), R"({"status":"ok"})");
        EXPECT_EQ(json(mgmt(Method::Get, "/" + name)), "{\"" + name + "\":true}");
        EXPECT_TRUE(root().find(name)->asBool());
        EXPECT_EQ(mgmt(Method::Patch, "/" + name, R"({"value":false})").status(), 200);
        EXPECT_FALSE(root().find(name)->asBool()) << name;
    }
}

TEST_F(ScalarSettings, BadBodiesAreInvalidBody) {
    for (const std::string name : kBools) {
        for (const char* body : {"", "{}", R"({"value":null})", R"({"value":"true"})", R"({"value":1})", "[true]",
                                 "nonsense"}) {
            const auto r = mgmt(Method::Put, "/" + name, body);
            EXPECT_EQ(r.status(), 400) << name << " " << body;
            EXPECT_EQ(json(r), R"({"error":"invalid body"})");
        }
    }
    for (const char* name : {"request-retry", "max-retry-interval", "logs-max-total-size-mb", "error-logs-max-files"}) {
        for (const char* body : {R"({"value":5.0})", R"({"value":"5"})", R"({"value":5e0})", R"({"value":true})", "{}"}) {
            EXPECT_EQ(mgmt(Method::Patch, std::string("/") + name, body).status(), 400) << name << " " << body;
        }
    }
    EXPECT_EQ(ctx_.config().writeCount(), 0u);
}

TEST_F(ScalarSettings, IntegersAndTheirNegativeRules) {
    EXPECT_EQ(json(mgmt(Method::Get, "/error-logs-max-files")), R"({"error-logs-max-files":10})");
    EXPECT_EQ(json(mgmt(Method::Get, "/logs-max-total-size-mb")), R"({"logs-max-total-size-mb":0})");
    struct Case {
        const char* name;
        int given;
        int stored;
    };
    for (const Case c : {Case{"logs-max-total-size-mb", -5, 0}, Case{"logs-max-total-size-mb", 7, 7},
                         Case{"error-logs-max-files", -1, 10}, Case{"error-logs-max-files", 0, 0},
                         Case{"request-retry", -2, 0}, Case{"request-retry", 3, 3},
                         Case{"max-retry-interval", -30, 0}, Case{"max-retry-interval", 30, 30}}) {
        const auto r = mgmt(Method::Put, std::string("/") + c.name, "{\"value\":" + std::to_string(c.given) + "}");
        EXPECT_EQ(r.status(), 200) << c.name;
        EXPECT_EQ(json(mgmt(Method::Get, std::string("/") + c.name)),
                  std::string("{\"") + c.name + "\":" + std::to_string(c.stored) + "}");
    }
    // Trailing data after the first JSON value is ignored, member names match case-insensitively.
    EXPECT_EQ(mgmt(Method::Put, "/request-retry", R"({"VALUE":4} trailing)").status(), 200);
    EXPECT_EQ(root().find("request-retry")->asInt(), 4);
}

TEST_F(ScalarSettings, ProxyUrlIsValidatedTrimmedAndDeletable) {
    EXPECT_EQ(json(mgmt(Method::Get, "/proxy-url")), R"({"proxy-url":""})");
    EXPECT_EQ(mgmt(Method::Put, "/proxy-url", R"({"value":"  socks5://u:p@127.0.0.1:1080 "})").status(), 200);
    EXPECT_EQ(json(mgmt(Method::Get, "/proxy-url")), R"({"proxy-url":"socks5://u:p@127.0.0.1:1080"})");
    EXPECT_FALSE(ctx_.logger().contains("u:p@"));  // never logged
    for (const char* ok : {"direct", "NONE", "http://proxy:3128", "https://proxy", "socks5h://proxy", ""}) {
        EXPECT_EQ(mgmt(Method::Patch, "/proxy-url", std::string(R"({"value":")") + ok + "\"}").status(), 200) << ok;
    }
    for (const char* bad : {"ftp://proxy", "proxy:3128", "http://", "banana"}) {
        const auto r = mgmt(Method::Put, "/proxy-url", std::string(R"({"value":")") + bad + "\"}");
        EXPECT_EQ(r.status(), 400) << bad;
        EXPECT_EQ(json(r), R"({"error":"invalid body"})");
    }
    EXPECT_EQ(mgmt(Method::Put, "/proxy-url", R"({"value":"http://p:1"})").status(), 200);
    const auto del = mgmt(Method::Delete, "/proxy-url");
    EXPECT_EQ(del.status(), 200);
    EXPECT_EQ(json(del), R"({"status":"ok"})");
    EXPECT_EQ(root().find("proxy-url")->asString(), "");
}

TEST_F(ScalarSettings, RoutingStrategyNormalisesAliases) {
    EXPECT_EQ(json(mgmt(Method::Get, "/routing/strategy")), R"({"strategy":"round-robin"})");
    for (const auto& [given, stored] : std::vector<std::pair<std::string, std::string>>{
             {" FF ", "fill-first"}, {"fillfirst", "fill-first"}, {"fill-first", "fill-first"},
             {"RR", "round-robin"}, {"roundrobin", "round-robin"}, {"", "round-robin"}}) {
        EXPECT_EQ(mgmt(Method::Put, "/routing/strategy", "{\"value\":\"" + given + "\"}").status(), 200) << given;
        EXPECT_EQ(json(mgmt(Method::Get, "/routing/strategy")), "{\"strategy\":\"" + stored + "\"}");
    }
    const auto bad = mgmt(Method::Patch, "/routing/strategy", R"({"value":"random"})");
    EXPECT_EQ(bad.status(), 400);
    EXPECT_EQ(json(bad), R"({"error":"invalid strategy"})");
    EXPECT_EQ(json(mgmt(Method::Patch, "/routing/strategy", R"({"value":1})")), R"({"error":"invalid body"})");
}

TEST_F(ScalarSettings, DefaultsAreNotAddedAsNewKeys) {
    EXPECT_EQ(mgmt(Method::Put, "/routing/strategy", R"({"value":"rr"})").status(), 200);
    EXPECT_EQ(mgmt(Method::Put, "/debug", R"({"value":false})").status(), 200);
    EXPECT_EQ(mgmt(Method::Put, "/error-logs-max-files", R"({"value":10})").status(), 200);
    EXPECT_EQ(mgmt(Method::Delete, "/proxy-url").status(), 200);
    EXPECT_EQ(sdk::toJson(root()), "{}");
    EXPECT_EQ(ctx_.config().writeCount(), 0u);
}

TEST_F(ScalarSettings, AWriteFailureIsReportedAndChangesNothing) {
    ctx_.config().failNextWrite("disk full");
    const auto r = mgmt(Method::Put, "/debug", R"({"value":true})");
    EXPECT_EQ(r.status(), 500);
    EXPECT_EQ(json(r), R"({"error":"failed to save config: disk full"})");
    EXPECT_EQ(json(mgmt(Method::Get, "/debug")), R"({"debug":false})");
}

class ScalarSettingsFromFile : public ModuleFixture {
protected:
    ScalarSettingsFromFile()
        : ModuleFixture(sdk::parseJson(R"({"routing":{"strategy":"  Weird "},"logs-max-total-size-mb":-3,
                                            "error-logs-max-files":-3,"request-retry":-1,"debug":true})")) {}
};

TEST_F(ScalarSettingsFromFile, GetShowsLoadNormalisedValues) {
    EXPECT_EQ(json(mgmt(Method::Get, "/routing/strategy")), R"({"strategy":"Weird"})");
    EXPECT_EQ(json(mgmt(Method::Get, "/logs-max-total-size-mb")), R"({"logs-max-total-size-mb":0})");
    EXPECT_EQ(json(mgmt(Method::Get, "/error-logs-max-files")), R"({"error-logs-max-files":10})");
    EXPECT_EQ(json(mgmt(Method::Get, "/request-retry")), R"({"request-retry":-1})");
    EXPECT_EQ(json(mgmt(Method::Get, "/debug")), R"({"debug":true})");
    // Round-robin over an existing value is written.
    EXPECT_EQ(mgmt(Method::Put, "/routing/strategy", R"({"value":"rr"})").status(), 200);
    EXPECT_EQ(root().findPath("routing.strategy")->asString(), "round-robin");
}

TEST(ApplySetting, CreatesParentsOnlyForNonDefaultValues) {
    Value root = Value::object({{"keep", 1}});
    applySetting(root, "routing.strategy", Value("round-robin"), Value("round-robin"));
    EXPECT_EQ(sdk::toJson(root), R"({"keep":1})");
    applySetting(root, "routing.strategy", Value("fill-first"), Value("round-robin"));
    EXPECT_EQ(sdk::toJson(root), R"({"keep":1,"routing":{"strategy":"fill-first"}})");
    applySetting(root, "routing.strategy", Value("round-robin"), Value("round-robin"));
    EXPECT_EQ(sdk::toJson(root), R"({"keep":1,"routing":{"strategy":"round-robin"}})");
    applySetting(root, "keep", Value(2), Value(0));
    EXPECT_EQ(sdk::toJson(root), R"({"keep":2,"routing":{"strategy":"round-robin"}})");
}

TEST(RoutingStrategy, Normalisation) {
    EXPECT_EQ(normalizeRoutingStrategy(""), "round-robin");
    EXPECT_EQ(normalizeRoutingStrategy(" Fill-First "), "fill-first");
    EXPECT_FALSE(normalizeRoutingStrategy("fill first"));
}

}  // namespace
}  // namespace cpa::config
