// HttpError, JsonError, methodName, the Response conveniences, ConfigSnapshot
// getters, and that the SDK's typeinfo/vtables are exported from libcpa_sdk.so.
#include <cpa/sdk/config.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/http.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fake_http.hpp>

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <cmath>

using namespace cpa::sdk;

TEST(HttpError, MessageConstructorBuildsTheOriginalsErrorBody) {
    const HttpError e(400, "invalid body");
    EXPECT_EQ(e.status(), 400);
    EXPECT_STREQ(e.what(), "invalid body");
    EXPECT_EQ(e.body(), Value::object({{"error", "invalid body"}}));
    EXPECT_EQ(toJson(e.body()), R"({"error":"invalid body"})");
}

TEST(HttpError, CustomBodyKeepsLogMessageSeparate) {
    const HttpError e(422, Value::object({{"error", "invalid_config"}, {"message", "bad"}}), "config refused: bad");
    EXPECT_EQ(e.status(), 422);
    EXPECT_STREQ(e.what(), "config refused: bad");
    EXPECT_EQ(toJson(e.body()), R"({"error":"invalid_config","message":"bad"})");
}

TEST(HttpError, IsCaughtAsRuntimeError) {
    try {
        throw HttpError(404, "not found");
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "not found");
        ASSERT_NE(dynamic_cast<const HttpError*>(&e), nullptr);
        EXPECT_EQ(dynamic_cast<const HttpError&>(e).status(), 404);
    }
}

TEST(JsonError, IsARuntimeError) {
    try {
        parseJson("{");
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(dynamic_cast<const JsonError*>(&e), nullptr);
    }
}

TEST(SdkExports, TypeinfoAndVtablesLiveInTheSharedLibrary) {
    // Key functions are out of line: these symbols must be visible from libcpa_sdk.so.
    const char* symbols[] = {
        "_ZTIN3cpa3sdk9HttpErrorE",   "_ZTIN3cpa3sdk9JsonErrorE",     "_ZTVN3cpa3sdk9HttpErrorE",
        "_ZTIN3cpa3sdk6ModuleE",      "_ZTVN3cpa3sdk6ModuleE",        "_ZTIN3cpa3sdk7RequestE",
        "_ZTIN3cpa3sdk8ResponseE",    "_ZTIN3cpa3sdk12StreamWriterE", "_ZTIN3cpa3sdk10MiddlewareE",
        "_ZTIN3cpa3sdk13RouteRegistryE", "_ZTIN3cpa3sdk11ConfigStoreE", "_ZTIN3cpa3sdk8ServicesE",
        "_ZTIN3cpa3sdk6EventsE",      "_ZTIN3cpa3sdk6LoggerE",        "_ZTIN3cpa3sdk13ModuleContextE",
    };
    // The library's own lookup scope (an executable may hold copy-relocated
    // duplicates of some, which the dynamic linker makes the one instance).
    void* self = dlopen("libcpa_sdk.so.2", RTLD_NOW | RTLD_NOLOAD);
    ASSERT_NE(self, nullptr) << "libcpa_sdk.so.2 is not loaded: " << dlerror();
    for (const char* sym : symbols) {
        Dl_info info{};
        void* addr = dlsym(self, sym);
        ASSERT_NE(addr, nullptr) << sym;
        ASSERT_NE(dladdr(addr, &info), 0) << sym;
        EXPECT_NE(std::string(info.dli_fname).find("libcpa_sdk.so"), std::string::npos)
            << sym << " found in " << info.dli_fname;
    }
    dlclose(self);
}

TEST(MethodName, AllMethods) {
    EXPECT_EQ(methodName(Method::Get), "GET");
    EXPECT_EQ(methodName(Method::Head), "HEAD");
    EXPECT_EQ(methodName(Method::Post), "POST");
    EXPECT_EQ(methodName(Method::Put), "PUT");
    EXPECT_EQ(methodName(Method::Patch), "PATCH");
    EXPECT_EQ(methodName(Method::Delete), "DELETE");
    EXPECT_EQ(methodName(Method::Options), "OPTIONS");
}

TEST(ResponseHelpers, JsonSetsStatusBodyAndContentType) {
    cpa::sdk::testing::FakeResponse res;
    Response& base = res;
    base.json(201, Value::object({{"status", "ok"}, {"html", "<b>"}}));
    EXPECT_EQ(res.status(), 201);
    EXPECT_EQ(res.body(), R"({"status":"ok","html":"\u003cb\u003e"})");
    EXPECT_EQ(res.header("content-type"), "application/json; charset=utf-8");
}

TEST(ResponseHelpers, TextAndNoContent) {
    cpa::sdk::testing::FakeResponse res;
    res.text(200, "hello");
    EXPECT_EQ(res.body(), "hello");
    EXPECT_EQ(res.header("Content-Type"), "text/plain; charset=utf-8");
    res.text(400, "a,b", "text/csv");
    EXPECT_EQ(res.status(), 400);
    EXPECT_EQ(res.header("Content-Type"), "text/csv");

    cpa::sdk::testing::FakeResponse empty;
    empty.noContent(204);
    EXPECT_EQ(empty.status(), 204);
    EXPECT_EQ(empty.body(), "");
    EXPECT_FALSE(empty.header("Content-Type").has_value());
}

TEST(ConfigSnapshot, HoldsRootTextAndGeneration) {
    const ConfigSnapshot snap(Value::object({{"port", 8317}}), "port: 8317\n", 7);
    EXPECT_EQ(snap.root().find("port")->asInt(), 8317);
    EXPECT_EQ(snap.text(), "port: 8317\n");
    EXPECT_EQ(snap.generation(), 7u);
    EXPECT_EQ(snap.find("port")->asInt(), 8317);
    EXPECT_EQ(snap.find("nope"), nullptr);
}

TEST(ConfigSnapshot, TypedGettersWithFallbacks) {
    const Value root = Value::object({
        {"debug", true},
        {"port", 8317},
        {"ratio", 0.25},
        {"whole", 5.0},
        {"huge", 1e30},
        {"name", "cpa"},
        {"nothing", nullptr},
        {"list", Value(Value::Array{1})},
        {"quota-exceeded", Value::object({{"switch-project", true}, {"label", "x"}})},
    });
    const ConfigSnapshot snap(root, "", 1);
    EXPECT_TRUE(snap.getBool("debug", false));
    EXPECT_TRUE(snap.getBool("quota-exceeded.switch-project", false));
    EXPECT_FALSE(snap.getBool("quota-exceeded.missing", false));
    EXPECT_TRUE(snap.getBool("name", true));  // not a bool: fallback
    EXPECT_FALSE(snap.getBool("nothing", false));

    EXPECT_EQ(snap.getInt("port", 0), 8317);
    EXPECT_EQ(snap.getInt("whole", 0), 5);  // a whole float reads as its integer
    EXPECT_EQ(snap.getInt("ratio", -1), -1);
    EXPECT_EQ(snap.getInt("huge", -1), -1);
    EXPECT_EQ(snap.getInt("name", -1), -1);
    EXPECT_EQ(snap.getInt("missing", 9), 9);

    EXPECT_EQ(snap.getString("name", "fb"), "cpa");
    EXPECT_EQ(snap.getString("debug", "fb"), "true");
    EXPECT_EQ(snap.getString("quota-exceeded.label", "fb"), "x");
    EXPECT_EQ(snap.getString("port", "fb"), "8317");
    EXPECT_EQ(snap.getString("ratio", "fb"), "0.25");
    EXPECT_EQ(snap.getString("nothing", "fb"), "fb");
    EXPECT_EQ(snap.getString("list", "fb"), "fb");
    EXPECT_EQ(snap.getString("missing", "fb"), "fb");

    const ConfigSnapshot falsy(Value::object({{"b", false}}), "", 1);
    EXPECT_EQ(falsy.getString("b", ""), "false");
}
