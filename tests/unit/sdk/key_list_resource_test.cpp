// KeyListResource through the SDK fakes: a small family with every knob.
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/key_list_resource.hpp>
#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

using namespace cpa::sdk;
using namespace cpa::sdk::testing;

namespace {

const std::string kPath = "/v0/management/demo-key";

std::string str(const Value& e, const char* k) {
    const Value* v = e.find(k);
    return v && v->isString() ? v->asString() : std::string();
}

// Entries {api-key, base-url}; an empty key drops the entry; a "bad" base-url is
// refused on PUT; de-duplication on api-key.
KeyListSpec demoSpec() {
    KeyListSpec s;
    s.configKey = "demo-key";
    s.checkEntry = [](const Value& e) {
        for (const char* k : {"api-key", "base-url"}) {
            const Value* v = e.find(k);
            if (v && !v->isNull() && !v->isString()) throw HttpError(400, "invalid body");
        }
    };
    s.normalizeEntry = [](const Value& e, const KeyListEntryContext& ctx) -> std::optional<Value> {
        const std::string key = trimSpace(str(e, "api-key"));
        const std::string base = trimSpace(str(e, "base-url"));
        if (ctx.stage == KeyListStage::Put && base == "bad") {
            throw HttpError(400, "demo-key[" + std::to_string(ctx.index) + "] bad");
        }
        if (key.empty()) return std::nullopt;
        Value out = Value::object({{"api-key", key}});
        if (!base.empty()) out.set("base-url", base);
        return out;
    };
    s.normalizeList = [](Value::Array& list) {
        std::vector<std::string> seen;
        std::erase_if(list, [&](const Value& e) {
            const std::string k = str(e, "api-key");
            if (std::find(seen.begin(), seen.end(), k) != seen.end()) return true;
            seen.push_back(k);
            return false;
        });
    };
    s.applyPatch = [](Value& entry, const Value& patch) {
        if (const Value* k = patch.find("api-key")) {
            if (!k->isString()) throw HttpError(400, "invalid body");
            if (trimSpace(k->asString()).empty()) return false;
            entry.set("api-key", k->asString());
        }
        if (const Value* b = patch.find("base-url")) {
            if (!b->isString()) throw HttpError(400, "invalid body");
            entry.set("base-url", b->asString());
        }
        return true;
    };
    s.decorate = [](Value::Array& list, const Value&) {
        for (Value& e : list) e.set("decorated", true);
    };
    return s;
}

class KeyListResourceTest : public ::testing::Test {
protected:
    explicit KeyListResourceTest(Value root = parseJson(R"({"demo-key":[{"api-key":" a "},{"api-key":"b","base-url":"u"}]})"))
        : ctx(std::move(root)), resource(ctx.config(), demoSpec()) {
        resource.registerRoutes(router);
    }
    FakeResponse call(Method m, const std::string& target, std::string body = {}) {
        return router.call(m, target, std::move(body));
    }
    std::string stored() const {
        const Value* v = const_cast<FakeContext&>(ctx).config().snapshot()->root().find("demo-key");
        return v ? toJson(*v) : "absent";
    }
    FakeContext ctx;
    KeyListResource resource;
    FakeRouter router;
};

}  // namespace

TEST_F(KeyListResourceTest, RegistersFourManagementRoutes) {
    ASSERT_EQ(router.routes().size(), 4u);
    for (const auto& r : router.routes()) {
        EXPECT_EQ(r.pattern, kPath);
        EXPECT_EQ(r.access, Access::Management);
    }
}

TEST_F(KeyListResourceTest, GetNormalisesAndDecorates) {
    auto r = call(Method::Get, kPath);
    EXPECT_EQ(r.status(), 200);
    EXPECT_EQ(r.body(), R"({"demo-key":[{"api-key":"a","decorated":true},{"api-key":"b","base-url":"u","decorated":true}]})");
}

TEST_F(KeyListResourceTest, GetWithoutKeyIsAnEmptyArray) {
    FakeContext empty;
    KeyListResource res(empty.config(), demoSpec());
    FakeRequest req(Method::Get, kPath);
    FakeResponse out;
    res.handleGet(req, out);
    EXPECT_EQ(out.body(), R"({"demo-key":[]})");
}

TEST_F(KeyListResourceTest, PutAcceptsArrayAndItemsWrapper) {
    EXPECT_EQ(call(Method::Put, kPath, R"([{"api-key":"x"},{"api-key":"  "},{"api-key":"x"},null])").body(),
              R"({"status":"ok"})");
    EXPECT_EQ(stored(), R"([{"api-key":"x"}])");
    EXPECT_EQ(call(Method::Put, kPath, R"({"ITEMS":[{"api-key":"y"}]})").status(), 200);
    EXPECT_EQ(stored(), R"([{"api-key":"y"}])");
}

TEST_F(KeyListResourceTest, PutClearsWithEmptyArrayOrNullButRejectsEmptyItems) {
    EXPECT_EQ(call(Method::Put, kPath, R"({"items":[]})").body(), R"({"error":"invalid body"})");
    EXPECT_EQ(stored(), R"([{"api-key":" a "},{"api-key":"b","base-url":"u"}])") << "nothing changed";
    EXPECT_EQ(call(Method::Put, kPath, "null").status(), 200);
    EXPECT_EQ(stored(), "[]");
    EXPECT_EQ(call(Method::Put, kPath, R"([{"api-key":"z"}])").status(), 200);
    EXPECT_EQ(call(Method::Put, kPath, "[]").status(), 200);
    EXPECT_EQ(stored(), "[]");
}

TEST_F(KeyListResourceTest, PutRejectsMalformedBodies) {
    for (const char* body : {"", "{", "5", R"("x")", R"([1])", R"([{"api-key":5}])", R"({"items":{}})", "[] x"}) {
        auto r = call(Method::Put, kPath, body);
        EXPECT_EQ(r.status(), 400) << body;
        EXPECT_EQ(r.body(), R"({"error":"invalid body"})") << body;
    }
    EXPECT_EQ(ctx.config().writeCount(), 0u);
}

TEST_F(KeyListResourceTest, PutNormaliserErrorsAbortWithTheirMessage) {
    auto r = call(Method::Put, kPath, R"([{"api-key":"ok"},{"api-key":"k","base-url":"bad"}])");
    EXPECT_EQ(r.status(), 400);
    EXPECT_EQ(r.body(), R"({"error":"demo-key[1] bad"})");
    EXPECT_EQ(ctx.config().writeCount(), 0u);
}

TEST_F(KeyListResourceTest, PutDoesNotAddAnAbsentKeyForAnEmptyList) {
    FakeContext empty;
    KeyListResource res(empty.config(), demoSpec());
    FakeRouter r;
    res.registerRoutes(r);
    EXPECT_EQ(r.call(Method::Put, kPath, "[]").status(), 200);
    EXPECT_EQ(empty.config().snapshot()->root().find("demo-key"), nullptr);
    EXPECT_EQ(empty.config().writeCount(), 0u);
}

TEST_F(KeyListResourceTest, PatchByIndexThenBySelector) {
    EXPECT_EQ(call(Method::Patch, kPath, R"({"index":0,"value":{"base-url":"v"}})").status(), 200);
    EXPECT_EQ(stored(), R"([{"api-key":"a","base-url":"v"},{"api-key":"b","base-url":"u"}])");
    EXPECT_EQ(call(Method::Patch, kPath, R"({"index":9,"match":" b ","value":{"api-key":"c"}} trailing)").status(), 200);
    EXPECT_EQ(stored(), R"([{"api-key":"a","base-url":"v"},{"api-key":"c","base-url":"u"}])");
}

TEST_F(KeyListResourceTest, PatchErrors) {
    EXPECT_EQ(call(Method::Patch, kPath, R"({"match":"zz","value":{}})").body(), R"({"error":"item not found"})");
    EXPECT_EQ(call(Method::Patch, kPath, R"({"match":"","value":{}})").status(), 404) << "empty selector matches nothing";
    for (const char* body : {"", "[]", R"({"match":"a"})", R"({"match":"a","value":5})", R"({"index":"0","value":{}})",
                             R"({"index":0.0,"value":{}})", R"({"match":1,"value":{}})",
                             R"({"match":"zz","value":{"api-key":5}})"}) {
        auto r = call(Method::Patch, kPath, body);
        EXPECT_EQ(r.status(), 400) << body;
        EXPECT_EQ(r.body(), R"({"error":"invalid body"})") << body;
    }
    EXPECT_EQ(ctx.config().writeCount(), 0u);
}

TEST_F(KeyListResourceTest, PatchMayDeleteAndRenormalises) {
    EXPECT_EQ(call(Method::Patch, kPath, R"({"index":1,"value":{"api-key":"a"}})").status(), 200);
    EXPECT_EQ(stored(), R"([{"api-key":"a"}])") << "the patched duplicate was de-duplicated";
    EXPECT_EQ(call(Method::Patch, kPath, R"({"match":"a","value":{"api-key":" "}})").status(), 200);
    EXPECT_EQ(stored(), "[]");
}

TEST_F(KeyListResourceTest, DeleteByKeyScopeAndIndex) {
    EXPECT_EQ(call(Method::Delete, kPath + "?api-key=b&base-url=other").status(), 200);
    EXPECT_EQ(stored(), R"([{"api-key":"a"},{"api-key":"b","base-url":"u"}])") << "nothing matched; the list is normalised";
    EXPECT_EQ(call(Method::Delete, kPath + "?api-key=%20b%20&base-url=%20u").status(), 200);
    EXPECT_EQ(stored(), R"([{"api-key":"a"}])");
    EXPECT_EQ(call(Method::Delete, kPath + "?index=0junk").status(), 200);
    EXPECT_EQ(stored(), "[]");
    auto r = call(Method::Delete, kPath + "?index=0");
    EXPECT_EQ(r.status(), 400);
    EXPECT_EQ(r.body(), R"({"error":"missing api-key or index"})");
}

TEST(KeyListResourceRules, DeleteUniqueness404AndNameRule) {
    FakeContext ctx(parseJson(R"({"demo-key":[{"api-key":"k","base-url":"1"},{"api-key":"k","base-url":"2"},{"api-key":"j"}]})"));
    KeyListSpec spec = demoSpec();
    spec.normalizeList = nullptr;
    spec.deleteRule.notFoundIs404 = true;
    KeyListResource res(ctx.config(), spec);
    FakeRouter router;
    res.registerRoutes(router);
    EXPECT_EQ(router.call(Method::Delete, kPath + "?api-key=k").body(),
              R"({"error":"multiple items match api-key; base-url is required"})");
    EXPECT_EQ(router.call(Method::Delete, kPath + "?api-key=none").status(), 404);
    EXPECT_EQ(router.call(Method::Delete, kPath + "?api-key=none&base-url=").status(), 404);
    EXPECT_EQ(router.call(Method::Delete, kPath + "?api-key=j").status(), 200);
    EXPECT_EQ(ctx.config().writeCount(), 1u);

    // A name rule: untrimmed, every match removed, no uniqueness, 200 when none.
    KeyListSpec byName = demoSpec();
    byName.normalizeList = nullptr;
    byName.deleteRule = KeyListDeleteRule{"api-key", "api-key", false, "", "", false, false, "missing name or index", ""};
    KeyListResource named(ctx.config(), byName);
    FakeRouter r2;
    named.registerRoutes(r2);
    EXPECT_EQ(r2.call(Method::Delete, kPath + "?api-key=%20k").status(), 200);
    EXPECT_EQ(ctx.config().writeCount(), 1u) << "untrimmed ' k' matches nothing";
    EXPECT_EQ(r2.call(Method::Delete, kPath + "?api-key=k").status(), 200);
    EXPECT_EQ(toJson(*ctx.config().snapshot()->root().find("demo-key")), "[]");
    EXPECT_EQ(r2.call(Method::Delete, kPath).body(), R"({"error":"missing name or index"})");
}

TEST_F(KeyListResourceTest, FailedPersistenceChangesNothing) {
    ctx.config().failNextWrite("disk full");
    auto r = call(Method::Put, kPath, R"([{"api-key":"n"}])");
    EXPECT_EQ(r.status(), 500);
    EXPECT_EQ(r.body(), R"({"error":"failed to save config: disk full"})");
    EXPECT_EQ(stored(), R"([{"api-key":" a "},{"api-key":"b","base-url":"u"}])");
}

TEST(KeyListResourceRules, SpecWithoutRequiredPartsIsRefused) {
    FakeContext ctx;
    KeyListSpec s = demoSpec();
    s.configKey.clear();
    EXPECT_THROW(KeyListResource(ctx.config(), s), std::invalid_argument);
    s = demoSpec();
    s.applyPatch = nullptr;
    EXPECT_THROW(KeyListResource(ctx.config(), s), std::invalid_argument);
    s = demoSpec();
    s.path = "/custom";
    EXPECT_EQ(KeyListResource(ctx.config(), s).path(), "/custom");
}
