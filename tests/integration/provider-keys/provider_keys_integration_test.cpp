// /api-keys, the OAuth maps, restarts and concurrency through the real server;
// every check re-reads config.yaml from disk.
#include "pk_itest.hpp"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace cpa::pktest;

TEST(ProviderKeysIntegration, ApiKeysEveryMethodAndError) {
    PkServer s(pkConfig());
    EXPECT_EQ(s.run("GET", "/api-keys"), R"(200 {"api-keys":null})");
    EXPECT_EQ(s.client->get(kMgmt + "/api-keys").status, 401) << "management auth is required";
    EXPECT_EQ(s.run("PUT", "/api-keys", R"([" a ","b"])"), kOk);
    EXPECT_EQ(s.file("api-keys"), R"([" a ","b"])");
    EXPECT_EQ(s.run("PUT", "/api-keys", R"({"items":[]})"), R"(400 {"error":"invalid body"})");
    EXPECT_EQ(s.run("PATCH", "/api-keys", R"({"old":"b","new":"B"})"), kOk);
    EXPECT_EQ(s.run("PATCH", "/api-keys", R"({"old":"zz","new":"c"})"), kOk);
    EXPECT_EQ(s.run("PATCH", "/api-keys", R"({"index":0,"value":"A"})"), kOk);
    EXPECT_EQ(s.file("api-keys"), R"(["A","B","c"])");
    EXPECT_EQ(s.run("PATCH", "/api-keys", R"({"index":0})"), R"(400 {"error":"missing fields"})");
    EXPECT_EQ(s.run("PATCH", "/api-keys", "x"), R"(400 {"error":"invalid body"})");
    EXPECT_EQ(s.run("DELETE", "/api-keys?value=%20B%20"), kOk);
    EXPECT_EQ(s.run("DELETE", "/api-keys?index=1"), kOk);
    EXPECT_EQ(s.run("DELETE", "/api-keys"), R"(400 {"error":"missing index or value"})");
    EXPECT_EQ(s.file("api-keys"), R"(["A"])");
    EXPECT_EQ(s.run("GET", "/api-keys"), R"(200 {"api-keys":["A"]})");
    EXPECT_NE(s.fileText().find("# operator comment kept by writes"), std::string::npos);
}

TEST(ProviderKeysIntegration, OAuthExcludedModels) {
    PkServer s(pkConfig());
    EXPECT_EQ(s.run("GET", "/oauth-excluded-models"), R"(200 {"oauth-excluded-models":null})");
    EXPECT_EQ(s.run("PUT", "/oauth-excluded-models", R"({"Codex":[" GPT-5* "],"claude":[]})"), kOk);
    EXPECT_EQ(s.file("oauth-excluded-models"), R"({"codex":["gpt-5*"]})");
    EXPECT_EQ(s.run("PATCH", "/oauth-excluded-models", R"({"provider":"gemini","models":["a","A"]})"), kOk);
    EXPECT_EQ(s.file("oauth-excluded-models"), R"({"codex":["gpt-5*"],"gemini":["a"]})");
    EXPECT_EQ(s.run("PATCH", "/oauth-excluded-models", R"({"provider":"kimi","models":[]})"),
              R"(404 {"error":"provider not found"})");
    EXPECT_EQ(s.run("PATCH", "/oauth-excluded-models", R"({"provider":"","models":["x"]})"),
              R"(400 {"error":"invalid provider"})");
    EXPECT_EQ(s.run("PUT", "/oauth-excluded-models", "[1]"), R"(400 {"error":"invalid body"})");
    EXPECT_EQ(s.run("DELETE", "/oauth-excluded-models"), R"(400 {"error":"missing provider"})");
    EXPECT_EQ(s.run("DELETE", "/oauth-excluded-models?provider=none"), R"(404 {"error":"provider not found"})");
    EXPECT_EQ(s.run("DELETE", "/oauth-excluded-models?provider=Codex"), kOk);
    EXPECT_EQ(s.run("PATCH", "/oauth-excluded-models", R"({"provider":"gemini"})"), kOk);
    EXPECT_EQ(s.file("oauth-excluded-models"), "absent");
    EXPECT_EQ(s.run("GET", "/oauth-excluded-models"), R"(200 {"oauth-excluded-models":null})");
}

TEST(ProviderKeysIntegration, OAuthModelAlias) {
    PkServer s(pkConfig());
    EXPECT_EQ(s.run("PUT", "/oauth-model-alias",
                    R"({"items":{"Claude":[{"name":"m","alias":"x","fork":true},{"name":"m","alias":"X"}]}})"),
              kOk);
    EXPECT_EQ(s.file("oauth-model-alias"), R"({"claude":[{"name":"m","alias":"x","fork":true}]})");
    EXPECT_EQ(s.run("PATCH", "/oauth-model-alias", R"({"provider":"codex","aliases":[{"name":"a","alias":"b"}]})"), kOk);
    EXPECT_EQ(s.run("PATCH", "/oauth-model-alias", R"({"channel":" ","aliases":[]})"),
              R"(400 {"error":"invalid channel"})");
    EXPECT_EQ(s.run("PATCH", "/oauth-model-alias", R"({"channel":"kimi","aliases":[]})"),
              R"(404 {"error":"channel not found"})");
    EXPECT_EQ(s.run("DELETE", "/oauth-model-alias"), R"(400 {"error":"missing channel"})");
    EXPECT_EQ(s.run("DELETE", "/oauth-model-alias?channel=nope"), R"(404 {"error":"channel not found"})");
    EXPECT_EQ(s.run("DELETE", "/oauth-model-alias?channel=claude"), kOk);
    EXPECT_EQ(s.run("GET", "/oauth-model-alias"),
              R"(200 {"oauth-model-alias":{"codex":[{"name":"a","alias":"b"}]}})");
    EXPECT_EQ(s.run("DELETE", "/oauth-model-alias?provider=codex"), kOk);
    EXPECT_EQ(s.file("oauth-model-alias"), "{}") << "an explicit empty mapping survives reloads";
    EXPECT_EQ(s.run("GET", "/oauth-model-alias"), R"(200 {"oauth-model-alias":null})");
}

TEST(ProviderKeysIntegration, EverythingSurvivesARestart) {
    std::string text;
    std::vector<std::string> before;
    const std::vector<std::string> paths = {"/api-keys",      "/gemini-api-key",       "/claude-api-key",
                                            "/codex-api-key", "/vertex-api-key",       "/openai-compatibility",
                                            "/oauth-excluded-models", "/oauth-model-alias"};
    {
        PkServer s(pkConfig());
        EXPECT_EQ(s.run("PUT", "/api-keys", R"(["k1"])"), kOk);
        EXPECT_EQ(s.run("PUT", "/gemini-api-key", R"([{"api-key":"g","headers":{"X":"1"}}])"), kOk);
        EXPECT_EQ(s.run("PUT", "/claude-api-key", R"([{"api-key":"c","models":[{"name":"m","alias":"a"}]}])"), kOk);
        EXPECT_EQ(s.run("PUT", "/codex-api-key", R"([{"api-key":"x","base-url":"https://x"}])"), kOk);
        EXPECT_EQ(s.run("PUT", "/vertex-api-key", R"([{"api-key":"v","proxy-url":"socks5://p"}])"), kOk);
        EXPECT_EQ(s.run("PUT", "/openai-compatibility",
                        R"([{"name":"o","base-url":"https://o","api-key-entries":[{"api-key":"ok"}]}])"),
                  kOk);
        EXPECT_EQ(s.run("PUT", "/oauth-excluded-models", R"({"codex":["a"]})"), kOk);
        EXPECT_EQ(s.run("PUT", "/oauth-model-alias", R"({"codex":[{"name":"a","alias":"b"}]})"), kOk);
        for (const auto& p : paths) before.push_back(s.run("GET", p));
        text = s.stop();
    }
    PkServer again(text);
    for (std::size_t i = 0; i < paths.size(); ++i) EXPECT_EQ(again.run("GET", paths[i]), before[i]) << paths[i];
    EXPECT_NE(before[1].find("auth-index"), std::string::npos) << before[1];
}

TEST(ProviderKeysIntegration, SixteenClientsPatchingDifferentFamiliesLoseNothing) {
    // Four entries in each of four families; client i owns entry i/4 of family i%4.
    const std::vector<std::string> families = {"/gemini-api-key", "/claude-api-key", "/codex-api-key", "/vertex-api-key"};
    std::string extra;
    for (const char* key : {"gemini-api-key", "claude-api-key", "codex-api-key", "vertex-api-key"}) {
        extra += std::string(key) + ":\n";
        for (int e = 0; e < 4; ++e) extra += "  - api-key: \"k" + std::to_string(e) + "\"\n    base-url: \"https://b\"\n";
    }
    PkServer s(pkConfig(extra));
    constexpr int kClients = 16, kRounds = 8;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i) {
        threads.emplace_back([&, i] {
            try {
                HttpClient c("127.0.0.1", s.process->port());
                for (int round = 0; round < kRounds; ++round) {
                    const std::string body = R"({"index":)" + std::to_string(i / 4) + R"(,"value":{"proxy-url":"p)" +
                                             std::to_string(i) + "-" + std::to_string(round) + R"("}})";
                    if (c.request("PATCH", kMgmt + families[static_cast<std::size_t>(i % 4)], kAuth, body).status != 200) {
                        ++failures;
                    }
                }
            } catch (const std::exception&) {
                ++failures;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    const YAML::Node root = YAML::Load(s.fileText());
    for (int i = 0; i < kClients; ++i) {
        const char* keys[] = {"gemini-api-key", "claude-api-key", "codex-api-key", "vertex-api-key"};
        const YAML::Node entry = root[keys[i % 4]][i / 4];
        EXPECT_EQ(entry["proxy-url"].as<std::string>(""), "p" + std::to_string(i) + "-" + std::to_string(kRounds - 1))
            << keys[i % 4] << "[" << i / 4 << "]";
        EXPECT_EQ(entry["api-key"].as<std::string>(""), "k" + std::to_string(i / 4));
    }
}

// The handler reads the body as JSON and answers its own 400 when that fails;
// a chunked body over http-server.max-request-body-mb is still a 413 (A5), as
// one with an announced length is.
TEST(ProviderKeysIntegration, AChunkedBodyOverTheLimitIs413) {
    PkServer s(pkConfig("http-server:\n  max-request-body-mb: 1\n"));
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", s.process->port()));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    std::string wire = "PUT " + kMgmt + "/api-keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer pk-secret\r\n"
                       "Transfer-Encoding: chunked\r\n\r\n";
    const std::string chunk(64 * 1024, ' ');
    for (int i = 0; i < 16; ++i) wire += "10000\r\n" + chunk + "\r\n";  // exactly 1 MiB ...
    wire += "1\r\n]\r\n0\r\n\r\n";                                    // ... and one byte more
    try {
        socket.sendBytes(wire.data(), static_cast<int>(wire.size()));
    } catch (const Poco::Exception&) {
        // The server may answer and close before the last bytes: the answer is what counts.
    }
    std::string reply;
    char buf[4096];
    for (int n; (n = socket.receiveBytes(buf, sizeof buf)) > 0;) reply.append(buf, static_cast<std::size_t>(n));
    EXPECT_EQ(reply.substr(0, reply.find("\r\n")), "HTTP/1.1 413 Request Entity Too Large");
    EXPECT_NE(reply.find(R"({"error":"request body too large"})"), std::string::npos) << reply;
    EXPECT_EQ(s.file("api-keys"), "absent");
}
