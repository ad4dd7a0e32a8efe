// The mistral-keys example plugin, built against the SDK installed into a
// staging prefix (fixture provider_keys.mistral_example_build), loaded by the
// real server from a modules dir of its own and driven over HTTP.
#include "pk_itest.hpp"

using namespace cpa::pktest;

TEST(MistralExample, CrudWithTheFileReadBack) {
    std::string text;
    {
        PkServer s(pkConfig("mistral-api-key:\n  - api-key: \" m0 \"\n  - base-url: \"no key: ignored\"\n"));
        EXPECT_EQ(s.run("GET", "/mistral-api-key"), R"(200 {"mistral-api-key":[{"api-key":"m0"}]})");
        EXPECT_EQ(s.client->get(kMgmt + "/mistral-api-key").status, 401);
        EXPECT_EQ(s.run("GET", "/gemini-api-key").substr(0, 3), "404") << "only the example is loaded";

        EXPECT_EQ(s.run("PUT", "/mistral-api-key", R"([{"api-key":"a"},{"base-url":"u"}])"),
                  R"(400 {"error":"mistral-api-key[1].api-key is required"})");
        EXPECT_EQ(s.run("PUT", "/mistral-api-key", R"([{"api-key":1}])"), R"(400 {"error":"invalid body"})");
        EXPECT_EQ(s.file("mistral-api-key"), R"([{"api-key":" m0 "},{"base-url":"no key: ignored"}])")
            << "refused requests leave the file alone";

        EXPECT_EQ(s.run("PUT", "/mistral-api-key",
                        R"({"items":[{"api-key":" a ","models":[" large ",""]},{"api-key":"b","base-url":"https://m"},{"api-key":"a"}]})"),
                  kOk);
        EXPECT_EQ(s.file("mistral-api-key"),
                  R"([{"api-key":"a","models":["large"]},{"api-key":"b","base-url":"https://m"}])");
        EXPECT_EQ(s.run("PATCH", "/mistral-api-key", R"({"match":"b","value":{"base-url":"https://n"}})"), kOk);
        EXPECT_EQ(s.run("PATCH", "/mistral-api-key", R"({"match":"zz","value":{}})"), R"(404 {"error":"item not found"})");
        EXPECT_EQ(s.run("PATCH", "/mistral-api-key", R"({"index":0,"value":{"models":"x"}})"),
                  R"(400 {"error":"invalid body"})");
        EXPECT_EQ(s.file("mistral-api-key"),
                  R"([{"api-key":"a","models":["large"]},{"api-key":"b","base-url":"https://n"}])");
        EXPECT_EQ(s.run("DELETE", "/mistral-api-key?api-key=zz"), R"(404 {"error":"item not found"})");
        EXPECT_EQ(s.run("DELETE", "/mistral-api-key"), R"(400 {"error":"missing api-key or index"})");
        EXPECT_EQ(s.run("DELETE", "/mistral-api-key?api-key=a"), kOk);
        EXPECT_EQ(s.file("mistral-api-key"), R"([{"api-key":"b","base-url":"https://n"}])");
        EXPECT_NE(s.fileText().find("# operator comment kept by writes"), std::string::npos);
        text = s.stop();
    }
    PkServer again(text);
    EXPECT_EQ(again.run("GET", "/mistral-api-key"), R"(200 {"mistral-api-key":[{"api-key":"b","base-url":"https://n"}]})");
    EXPECT_EQ(again.run("DELETE", "/mistral-api-key?index=0"), kOk);
    EXPECT_EQ(again.file("mistral-api-key"), "[]");
}
