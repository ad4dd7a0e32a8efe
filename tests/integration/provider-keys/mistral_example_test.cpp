// The mistral-keys example plugin, built against the SDK installed into a
// staging prefix (fixture provider_keys.mistral_example_build), loaded by the
// real server from a modules dir of its own (beside the stock proxy module)
// and driven over HTTP; its keys are proxied to a fake upstream on loopback.
#include "fake_upstream.hpp"
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

namespace {

const HeaderList kClient = {{"Authorization", "Bearer sk-client-1"}, {"Content-Type", "application/json"}};

std::string mistralConfig(const FakeUpstream& up) {
    return pkConfig("api-keys:\n  - \"sk-client-1\"\n"
                    "mistral-api-key:\n"
                    "  - api-key: \"sk-mistral-1\"\n"
                    "    base-url: \"" + up.baseUrl() + "/v1\"\n"
                    "    models: [\"mistral-large-latest\"]\n");
}

HttpResponse chat(HttpClient& c, const std::string& model) {
    return c.request("POST", "/v1/chat/completions", kClient,
                     R"({"model":")" + model + R"(","messages":[{"role":"user","content":"hi"}]})");
}

}  // namespace

// The example's keys serve traffic: contributed to cpa.CredentialSources/1 and
// routed by the proxy module over the OpenAI-compatible wire.
TEST(MistralExample, ChatCompletionReachesTheEntrysBaseUrlWithItsKey) {
    FakeUpstream up;
    UpstreamReply reply;
    reply.body = R"({"id":"c1","object":"chat.completion","model":"mistral-large-latest",)"
                 R"("choices":[{"index":0,"message":{"role":"assistant","content":"bonjour"},"finish_reason":"stop"}]})";
    up.enqueue(reply);
    PkServer s(mistralConfig(up));

    const HttpResponse r = chat(*s.client, "mistral-large-latest");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, reply.body) << "the upstream's answer is relayed";
    ASSERT_EQ(up.requests().size(), 1u);
    const UpstreamRequest got = up.requests()[0];
    EXPECT_EQ(got.method, "POST");
    EXPECT_EQ(got.target, "/v1/chat/completions");
    EXPECT_EQ(got.header("Authorization"), "Bearer sk-mistral-1");
    EXPECT_NE(got.body.find(R"("model":"mistral-large-latest")"), std::string::npos) << got.body;

    const HttpResponse other = chat(*s.client, "not-a-mistral-model");
    EXPECT_EQ(other.status, 502) << other.body;
    EXPECT_EQ(up.requests().size(), 1u) << "a model no entry lists goes nowhere";
    const HttpResponse models = s.client->get("/v1/models", {{"Authorization", "Bearer sk-client-1"}});
    EXPECT_NE(models.body.find(R"("id":"mistral-large-latest")"), std::string::npos) << models.body;
}

TEST(MistralExample, EntriesAddedAndRemovedThroughTheApiTakeEffectWithoutRestart) {
    FakeUpstream up;
    PkServer s(pkConfig("api-keys:\n  - \"sk-client-1\"\n"));
    EXPECT_EQ(chat(*s.client, "codestral-latest").status, 502) << "no entry yet";

    const std::string entry = R"([{"api-key":"sk-m2","base-url":")" + up.baseUrl() + R"(/v1","models":["codestral-latest"]}])";
    ASSERT_EQ(s.run("PUT", "/mistral-api-key", entry), kOk);
    const HttpResponse r = chat(*s.client, "codestral-latest");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(up.requests().size(), 1u);
    EXPECT_EQ(up.requests()[0].header("Authorization"), "Bearer sk-m2");

    ASSERT_EQ(s.run("DELETE", "/mistral-api-key?api-key=sk-m2"), kOk);
    EXPECT_EQ(chat(*s.client, "codestral-latest").status, 502) << "the removed key no longer routes";
    EXPECT_EQ(up.requests().size(), 1u);
}
