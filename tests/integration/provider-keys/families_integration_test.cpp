// The five provider-key families through the real server: each method and
// error case, config.yaml re-read from disk after every change.
#include "pk_itest.hpp"

using namespace cpa::pktest;

TEST(FamiliesIntegration, Gemini) {
    PkServer s(pkConfig());
    EXPECT_EQ(s.run("GET", "/gemini-api-key"), R"(200 {"gemini-api-key":[]})");
    EXPECT_EQ(s.run("PUT", "/gemini-api-key",
                    R"([{"api-key":" g1 ","prefix":"/t/","excluded-models":["A"]},{"api-key":""},{"api-key":"g1"},
                        {"api-key":"g2","base-url":"https://b"}])"),
              kOk);
    EXPECT_EQ(s.file("gemini-api-key"),
              R"([{"api-key":"g1","prefix":"t","excluded-models":["a"]},{"api-key":"g2","base-url":"https://b"}])");
    auto get = s.call("GET", "/gemini-api-key");
    EXPECT_EQ(countOccurrences(get.body, "\"auth-index\":\""), 2u) << get.body;
    EXPECT_EQ(s.run("PUT", "/gemini-api-key", "{"), R"(400 {"error":"invalid body"})");
    EXPECT_EQ(s.run("PATCH", "/gemini-api-key", R"({"match":"g2","value":{"proxy-url":" http://p "}})"), kOk);
    EXPECT_EQ(s.file("gemini-api-key"),
              R"([{"api-key":"g1","prefix":"t","excluded-models":["a"]},{"api-key":"g2","base-url":"https://b","proxy-url":"http://p"}])");
    EXPECT_EQ(s.run("PATCH", "/gemini-api-key", R"({"match":"nope","value":{}})"), R"(404 {"error":"item not found"})");
    EXPECT_EQ(s.run("PATCH", "/gemini-api-key", R"({"match":"g1"})"), R"(400 {"error":"invalid body"})");
    EXPECT_EQ(s.run("DELETE", "/gemini-api-key?api-key=nope"), R"(404 {"error":"item not found"})");
    EXPECT_EQ(s.run("DELETE", "/gemini-api-key"), R"(400 {"error":"missing api-key or index"})");
    EXPECT_EQ(s.run("DELETE", "/gemini-api-key?api-key=g2&base-url=https://b"), kOk);
    EXPECT_EQ(s.run("PATCH", "/gemini-api-key", R"({"index":0,"value":{"api-key":""}})"), kOk);
    EXPECT_EQ(s.file("gemini-api-key"), "[]");
    EXPECT_NE(s.fileText().find("# operator comment kept by writes"), std::string::npos);
}

TEST(FamiliesIntegration, ClaudeAndCodex) {
    PkServer s(pkConfig());
    EXPECT_EQ(s.run("PUT", "/claude-api-key",
                    R"({"items":[{"api-key":"c","base-url":"u1"},{"api-key":"c","base-url":"u2"},{"api-key":""}]})"),
              kOk);
    EXPECT_EQ(s.file("claude-api-key"), R"([{"api-key":"c","base-url":"u1"},{"api-key":"c","base-url":"u2"},{}])");
    EXPECT_EQ(s.run("DELETE", "/claude-api-key?api-key=c"),
              R"(400 {"error":"multiple items match api-key; base-url is required"})");
    EXPECT_EQ(s.run("DELETE", "/claude-api-key?api-key=none"), kOk) << "claude answers 200 without a match";
    EXPECT_EQ(s.run("PATCH", "/claude-api-key", R"({"match":"","value":{"api-key":"filled"}})"), kOk);
    EXPECT_EQ(s.run("DELETE", "/claude-api-key?api-key=c&base-url=u1"), kOk);
    EXPECT_EQ(s.file("claude-api-key"), R"([{"api-key":"c","base-url":"u2"},{"api-key":"filled"}])");
    EXPECT_NE(s.run("GET", "/claude-api-key")
                  .find(R"({"claude-api-key":[{"api-key":"c","base-url":"u2","proxy-url":"","models":null,"auth-index":")"),
              std::string::npos);

    EXPECT_EQ(s.run("PUT", "/codex-api-key", R"([{"api-key":"x"},{"api-key":"y","base-url":" https://c "}])"), kOk);
    EXPECT_EQ(s.file("codex-api-key"), R"([{"api-key":"y","base-url":"https://c"}])");
    EXPECT_EQ(s.run("PATCH", "/codex-api-key", R"({"index":0,"value":{"models":[{"name":" m ","alias":""}]}})"), kOk);
    EXPECT_EQ(s.file("codex-api-key"), R"([{"api-key":"y","base-url":"https://c","models":[{"name":"m","alias":""}]}])");
    EXPECT_EQ(s.run("PATCH", "/codex-api-key", R"({"index":0,"value":{"base-url":""}})"), kOk);
    EXPECT_EQ(s.file("codex-api-key"), "[]");
    EXPECT_EQ(s.run("DELETE", "/codex-api-key?index=0"), R"(400 {"error":"missing api-key or index"})");
}

TEST(FamiliesIntegration, Vertex) {
    PkServer s(pkConfig("vertex-api-key:\n  - api-key: \"v0\"\n"));
    EXPECT_EQ(s.run("PUT", "/vertex-api-key", R"([{"api-key":"v1"},{"base-url":"u"}])"),
              R"(400 {"error":"vertex-api-key[1].api-key is required"})");
    EXPECT_EQ(s.file("vertex-api-key"), R"([{"api-key":"v0"}])") << "a refused PUT changes nothing";
    EXPECT_EQ(s.run("PUT", "/vertex-api-key",
                    R"([{"api-key":"v1","models":[{"name":"n","alias":""},{"name":"n","alias":"a"}]},{"api-key":"v1"}])"),
              kOk);
    EXPECT_EQ(s.file("vertex-api-key"), R"([{"api-key":"v1","models":[{"name":"n","alias":"a"}]}])");
    EXPECT_EQ(s.run("PATCH", "/vertex-api-key", R"({"match":"","value":{"prefix":"p"}})"), R"(404 {"error":"item not found"})");
    EXPECT_EQ(s.run("PATCH", "/vertex-api-key", R"({"match":"v1","value":{"prefix":"p","headers":{"H":"1"}}})"), kOk);
    EXPECT_EQ(s.file("vertex-api-key"),
              R"([{"api-key":"v1","prefix":"p","headers":{"H":"1"},"models":[{"name":"n","alias":"a"}]}])");
    EXPECT_EQ(s.run("DELETE", "/vertex-api-key?api-key=zz"), kOk);
    EXPECT_EQ(s.run("DELETE", "/vertex-api-key?api-key=v1"), kOk);
    EXPECT_EQ(s.file("vertex-api-key"), "[]");
}

TEST(FamiliesIntegration, OpenAICompatibility) {
    PkServer s(pkConfig());
    EXPECT_EQ(s.run("PUT", "/openai-compatibility",
                    R"([{"name":" A ","base-url":"https://a","api-key-entries":[{"api-key":" k "}]},
                        {"name":"B","base-url":""},{"name":"C","base-url":"https://c","disabled":true}])"),
              kOk);
    EXPECT_EQ(s.file("openai-compatibility"),
              R"([{"name":"A","base-url":"https://a","api-key-entries":[{"api-key":"k"}]},)"
              R"({"name":"C","disabled":true,"base-url":"https://c"}])");
    const auto get = s.call("GET", "/openai-compatibility");
    EXPECT_EQ(countOccurrences(get.body, "auth-index"), 1u) << "the key entry only; C is disabled: " << get.body;
    EXPECT_EQ(s.run("PATCH", "/openai-compatibility", R"({"name":"C","value":{"disabled":false,"prefix":"x"}})"), kOk);
    EXPECT_EQ(countOccurrences(s.call("GET", "/openai-compatibility").body, "auth-index"), 2u);
    EXPECT_EQ(s.run("PATCH", "/openai-compatibility", R"({"name":"Z","value":{}})"), R"(404 {"error":"item not found"})");
    EXPECT_EQ(s.run("DELETE", "/openai-compatibility?name=Z"), kOk);
    EXPECT_EQ(s.run("DELETE", "/openai-compatibility"), R"(400 {"error":"missing name or index"})");
    EXPECT_EQ(s.run("DELETE", "/openai-compatibility?name=A"), kOk);
    EXPECT_EQ(s.file("openai-compatibility"), R"([{"name":"C","prefix":"x","base-url":"https://c"}])");
    EXPECT_EQ(s.run("DELETE", "/openai-compatibility?index=0"), kOk);
    EXPECT_EQ(s.file("openai-compatibility"), "[]");
}

TEST(FamiliesIntegration, ExternalEditsAreServedAfterReload) {
    PkServer s(pkConfig());
    std::string text = s.fileText() + "gemini-api-key:\n  - api-key: \"ext\"\n";
    {
        std::ofstream out(s.process->configPath(), std::ios::trunc);
        out << text;
    }
    std::string body;
    for (int i = 0; i < 50 && body.find("ext") == std::string::npos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        body = s.run("GET", "/gemini-api-key");
    }
    EXPECT_NE(body.find(R"("api-key":"ext")"), std::string::npos) << body;
}
