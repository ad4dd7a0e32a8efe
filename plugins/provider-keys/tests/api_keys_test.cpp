// /api-keys (management-api-core.md §3.4, §5.9).
#include "test_support.hpp"

using namespace cpa::provider_keys::test;

namespace {
class ApiKeys : public ModuleTest {};
}  // namespace

TEST_F(ApiKeys, GetIsNullWhenEmptyAndRawOtherwise) {
    EXPECT_EQ(run(Method::Get, "/api-keys"), R"(200 {"api-keys":null})");
    start(R"({"api-keys":[" a ","a",""]})");
    EXPECT_EQ(run(Method::Get, "/api-keys"), R"(200 {"api-keys":[" a ","a",""]})");
}

TEST_F(ApiKeys, PutFormsAndErrors) {
    EXPECT_EQ(run(Method::Put, "/api-keys", R"([" x ","x"])"), kOk);
    EXPECT_EQ(stored("api-keys"), R"([" x ","x"])");
    EXPECT_EQ(run(Method::Put, "/api-keys", R"({"items":["y"]})"), kOk);
    EXPECT_EQ(stored("api-keys"), R"(["y"])");
    for (const char* bad : {R"({"items":[]})", R"({"items":[1]})", R"([1])", R"("s")", "", R"({})"}) {
        EXPECT_EQ(run(Method::Put, "/api-keys", bad), R"(400 {"error":"invalid body"})") << bad;
    }
    EXPECT_EQ(run(Method::Put, "/api-keys", "null"), kOk);
    EXPECT_EQ(stored("api-keys"), "[]");
}

TEST_F(ApiKeys, PatchIndexOldNewUpsertAndErrors) {
    start(R"({"api-keys":["a","b"]})");
    EXPECT_EQ(run(Method::Patch, "/api-keys", R"({"index":1,"value":"B"})"), kOk);
    EXPECT_EQ(run(Method::Patch, "/api-keys", R"({"old":"a","new":"A"})"), kOk);
    EXPECT_EQ(run(Method::Patch, "/api-keys", R"({"old":"missing","new":"C"})"), kOk);
    EXPECT_EQ(stored("api-keys"), R"(["A","B","C"])");
    EXPECT_EQ(run(Method::Patch, "/api-keys", R"({"index":9,"value":"x"})"), R"(400 {"error":"missing fields"})");
    EXPECT_EQ(run(Method::Patch, "/api-keys", R"({"old":"x"})"), R"(400 {"error":"missing fields"})");
    EXPECT_EQ(run(Method::Patch, "/api-keys", R"({"old":1,"new":"x"})"), R"(400 {"error":"invalid body"})");
    EXPECT_EQ(run(Method::Patch, "/api-keys", "nope"), R"(400 {"error":"invalid body"})");
    EXPECT_EQ(stored("api-keys"), R"(["A","B","C"])");
}

TEST_F(ApiKeys, DeleteByIndexOrTrimmedValue) {
    start(R"({"api-keys":[" k ","k","j"]})");
    EXPECT_EQ(run(Method::Delete, "/api-keys?value=%20k"), kOk);
    EXPECT_EQ(stored("api-keys"), R"(["j"])");
    EXPECT_EQ(run(Method::Delete, "/api-keys?value=none"), kOk);
    EXPECT_EQ(run(Method::Delete, "/api-keys?index=3"), R"(400 {"error":"missing index or value"})");
    EXPECT_EQ(run(Method::Delete, "/api-keys?index=0x"), kOk);
    EXPECT_EQ(stored("api-keys"), "[]");
}
