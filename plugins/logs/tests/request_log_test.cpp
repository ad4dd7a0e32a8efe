// Request logs from `request.completed` records: naming, masking, layout
// (byte by byte), error-only mode and retention.
#include "logs_module.hpp"
#include "request_log_files.hpp"
#include "request_log_format.hpp"
#include "test_dir.hpp"

#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

namespace fs = std::filesystem;
using namespace cpa;
using namespace cpa::logs;
using cpa::logs::testing::readText;
using cpa::logs::testing::TestDir;

namespace {

sdk::Value pair(const char* n, const char* v) { return sdk::Value(sdk::Value::Array{n, v}); }

sdk::Value chatRecord(int status) {
    sdk::Value r = sdk::Value::object();
    r.set("request_id", "a1b2c3d4e5f60718");
    r.set("method", "POST");
    r.set("path", "/v1/chat/completions");
    r.set("query", "key=sk-abcdefghijkl&x=1");
    r.set("timestamp", "2026-05-01T12:00:03.123456789+02:00");
    r.set("downstream_transport", "http");
    r.set("upstream_transport", "http");
    r.set("request_headers", sdk::Value::Array{pair("Authorization", "Bearer sk-1234567890abcd"),
                                               pair("Content-Type", "application/json")});
    r.set("request_body", "{\"model\":\"gpt-5\"}");
    sdk::Value attempt = sdk::Value::object();
    attempt.set("timestamp", "2026-05-01T12:00:03.2+02:00");
    attempt.set("url", "https://api.example.com/v1/chat/completions");
    attempt.set("method", "POST");
    attempt.set("auth", sdk::Value::object({{"provider", "codex"},
                                            {"auth_id", "id1"},
                                            {"label", "codex-apikey"},
                                            {"type", "api_key"},
                                            {"value", "sk-upstream-secret-9999"}}));
    attempt.set("headers", sdk::Value::Array{pair("X-Api-Key", "abcdefghij"), pair("Accept", "*/*")});
    attempt.set("body", "{\"model\":\"gpt-5\"}");
    attempt.set("response", sdk::Value::object({{"timestamp", "2026-05-01T12:00:04+02:00"},
                                                {"status", status},
                                                {"headers", sdk::Value::Array{pair("Content-Type", "application/json")}},
                                                {"body", "{\"ok\":true}"}}));
    r.set("attempts", sdk::Value::Array{attempt});
    r.set("status", status);
    r.set("response_headers", sdk::Value::Array{pair("Content-Type", "application/json")});
    r.set("response_body", "{\"ok\":true}");
    return r;
}

class RequestLogTest : public ::testing::Test {
protected:
    void start(sdk::Value config) {
        ctx.mutablePaths().logDir = (dir.path / "logs").string();
        ctx.mutableBuild().version = "1.2.3";
        ctx.config().reload(std::move(config));
        module.configure(ctx);
        module.registerRoutes(router);
        module.start();
    }
    std::vector<std::string> files() const {
        std::vector<std::string> out;
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(dir.path / "logs", ec)) out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }
    TestDir dir;
    sdk::testing::FakeContext ctx;
    sdk::testing::FakeRouter router;
    LogsModule module;
};

}  // namespace

TEST(RequestLogFormat, Masking) {
    EXPECT_EQ(maskValue("sk-1234567890abcd"), "sk-1...abcd");
    EXPECT_EQ(maskValue("12345678"), "12...78");
    EXPECT_EQ(maskValue("1234"), "1...4");
    EXPECT_EQ(maskValue("12"), "12");
    EXPECT_EQ(maskHeaderValue("Authorization", "Bearer sk-1234567890abcd"), "Bearer sk-1...abcd");
    EXPECT_EQ(maskHeaderValue("x-goog-api-key", "AIzaSy0123456789"), "AIza...6789");
    EXPECT_EQ(maskHeaderValue("Content-Type", "application/json"), "application/json");
    EXPECT_EQ(maskQuery("key=sk-abcdefghijkl&alt=sse&access_token[]=abcdefghij"),
              "key=sk-a...ijkl&alt=sse&access_token[]=abcd...ghij");
    EXPECT_EQ(maskQuery(""), "");
}

TEST(RequestLogFormat, FileNames) {
    EXPECT_EQ(sanitizePathForFileName("/v1/chat/completions"), "v1-chat-completions");
    EXPECT_EQ(sanitizePathForFileName("/v1internal:generateContent"), "v1internal-generateContent");
    EXPECT_EQ(sanitizePathForFileName("/"), "root");
    EXPECT_EQ(sanitizePathForFileName("//a  b//c?x=1"), "a-b-c");
    const std::string name = requestLogFileName("/v1/messages", std::chrono::system_clock::now(), "9f00aa11", true);
    EXPECT_EQ(name.rfind("error-v1-messages-", 0), 0u);
    EXPECT_EQ(requestIdOfLogName(name), "9f00aa11");
    // A client's id (issue 25) may hold '-' and '.': the id is what follows the stamp.
    const std::string client =
        requestLogFileName("/v1/chat/completions", std::chrono::system_clock::now(), "trace-2026.a_B-01", false);
    EXPECT_EQ(requestIdOfLogName(client), "trace-2026.a_B-01");
    EXPECT_TRUE(plausibleRequestId("trace-2026.a_B-01"));
    EXPECT_FALSE(plausibleRequestId("a/b"));
    EXPECT_EQ(requestIdOfLogName("v1-chat-completions-trace.log"), std::nullopt) << "no stamp, no id";
}

TEST(RequestLogFormat, CaptureRules) {
    sdk::Value r = sdk::Value::object({{"method", "POST"}, {"path", "/v1/chat/completions"}});
    EXPECT_TRUE(capturesRequest(r));
    r.set("path", "/v0/management/config");
    EXPECT_FALSE(capturesRequest(r));
    r.set("path", "/api/provider/openai/v1/chat/completions");
    EXPECT_TRUE(capturesRequest(r));
    r.set("path", "/api/other");
    EXPECT_FALSE(capturesRequest(r));
    r.set("path", "/v1/responses");
    r.set("method", "GET");
    EXPECT_FALSE(capturesRequest(r));
    r.set("downstream_transport", "websocket");
    EXPECT_TRUE(capturesRequest(r));
}

TEST_F(RequestLogTest, FullLogLayoutByteByByte) {
    start(sdk::Value::object({{"request-log", true}}));
    ctx.events().publish(sdk::kTopicRequestCompleted, chatRecord(200));
    module.flushRequestLogs();
    const auto names = files();
    ASSERT_EQ(names.size(), 1u);
    EXPECT_EQ(names[0].rfind("v1-chat-completions-", 0), 0u) << names[0];
    EXPECT_EQ(requestIdOfLogName(names[0]), "a1b2c3d4e5f60718");
    const std::string expected =
        "=== REQUEST INFO ===\n"
        "Version: 1.2.3\n"
        "URL: /v1/chat/completions?key=sk-a...ijkl&x=1\n"
        "Method: POST\n"
        "Downstream Transport: http\n"
        "Upstream Transport: http\n"
        "Timestamp: 2026-05-01T12:00:03.123456789+02:00\n"
        "\n\n"
        "=== HEADERS ===\n"
        "Authorization: Bearer sk-1...abcd\n"
        "Content-Type: application/json\n"
        "\n\n"
        "=== REQUEST BODY ===\n"
        "{\"model\":\"gpt-5\"}\n\n\n"
        "=== API REQUEST 1 ===\n"
        "Timestamp: 2026-05-01T12:00:03.2+02:00\n"
        "Upstream URL: https://api.example.com/v1/chat/completions\n"
        "HTTP Method: POST\n"
        "Auth: provider=codex, auth_id=id1, label=codex-apikey, type=api_key value=sk-u...9999\n"
        "\n"
        "Headers:\n"
        "Accept: */*\n"
        "X-Api-Key: abcd...ghij\n"
        "\n"
        "Body:\n"
        "{\"model\":\"gpt-5\"}\n"
        "\n\n"
        "=== API RESPONSE 1 ===\n"
        "Timestamp: 2026-05-01T12:00:04+02:00\n"
        "\n"
        "Status: 200\n"
        "Headers:\n"
        "Content-Type: application/json\n"
        "\n"
        "Body:\n"
        "{\"ok\":true}\n\n\n"
        "=== RESPONSE ===\n"
        "Status: 200\n"
        "Content-Type: application/json\n"
        "\n"
        "{\"ok\":true}\n";
    EXPECT_EQ(readText(dir.path / "logs" / names[0]), expected);
}

TEST_F(RequestLogTest, ErrorOnlyModeWritesFailuresWithoutUpstreamSections) {
    start(sdk::Value::object({{"request-log", false}}));
    // Error-only mode listens to failures alone: a publisher builds no record for a success.
    EXPECT_EQ(ctx.events().subscriberCount(sdk::kTopicRequestCompleted), 0u);
    EXPECT_EQ(ctx.events().subscriberCount(sdk::kTopicRequestFailed), 1u);
    ctx.events().publish(sdk::kTopicRequestCompleted, chatRecord(200));
    ctx.events().publish(sdk::kTopicRequestFailed, chatRecord(200));  // a wrong publication is still filtered
    sdk::Value mgmt = chatRecord(500);
    mgmt.set("path", "/v0/management/config");
    ctx.events().publish(sdk::kTopicRequestFailed, mgmt);
    module.flushRequestLogs();
    EXPECT_TRUE(files().empty()) << "success and management requests leave no file";

    sdk::Value failed = chatRecord(502);
    failed.set("upstream_errors", sdk::Value::Array{sdk::Value::object({{"status", 502}, {"message", "bad gateway"}})});
    ctx.events().publish(sdk::kTopicRequestFailed, failed);
    module.flushRequestLogs();
    const auto names = files();
    ASSERT_EQ(names.size(), 1u);
    EXPECT_EQ(names[0].rfind("error-v1-chat-completions-", 0), 0u);
    const std::string text = readText(dir.path / "logs" / names[0]);
    EXPECT_EQ(text.find("=== API REQUEST"), std::string::npos);
    EXPECT_EQ(text.find("Upstream Transport"), std::string::npos);
    EXPECT_NE(text.find("=== API ERROR RESPONSE ===\nHTTP Status: 502\nbad gateway\n\n\n=== RESPONSE ===\nStatus: 502\n"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("sk-1234567890abcd"), std::string::npos) << "secrets are masked";

    // It is listed and downloadable by id.
    auto r = router.call(sdk::Method::Get, "/v0/management/request-log-by-id/a1b2c3d4e5f60718");
    EXPECT_EQ(r.status(), 200);
    EXPECT_EQ(r.body(), text);
}

TEST_F(RequestLogTest, TogglingRequestLogMovesTheSubscriptionBetweenTopics) {
    start(sdk::Value::object({{"request-log", false}}));
    ctx.config().reload(sdk::Value::object({{"request-log", true}}));
    EXPECT_EQ(ctx.events().subscriberCount(sdk::kTopicRequestCompleted), 1u);
    EXPECT_EQ(ctx.events().subscriberCount(sdk::kTopicRequestFailed), 0u);
    ctx.events().publish(sdk::kTopicRequestCompleted, chatRecord(200));
    module.flushRequestLogs();
    ASSERT_EQ(files().size(), 1u);
    EXPECT_EQ(files()[0].rfind("v1-chat-completions-", 0), 0u) << "a full log of the success";

    ctx.config().reload(sdk::Value::object({{"request-log", false}}));
    EXPECT_EQ(ctx.events().subscriberCount(sdk::kTopicRequestCompleted), 0u);
    EXPECT_EQ(ctx.events().subscriberCount(sdk::kTopicRequestFailed), 1u);
    module.stop();
    EXPECT_EQ(ctx.events().subscriberCount(sdk::kTopicRequestFailed), 0u) << "stop ends the subscription";
}

TEST_F(RequestLogTest, ErrorFileRetentionKeepsTheNewest) {
    start(sdk::Value::object({{"request-log", false}, {"error-logs-max-files", 3}}));
    for (int i = 0; i < 6; ++i) {
        sdk::Value r = chatRecord(400);
        r.set("request_id", "id" + std::to_string(i));
        ctx.events().publish(sdk::kTopicRequestFailed, r);
        module.flushRequestLogs();
        // Distinct mtimes so "newest" is well defined.
        for (const auto& name : files()) {
            if (name.find("-id" + std::to_string(i) + ".log") != std::string::npos) {
                fs::last_write_time(dir.path / "logs" / name,
                                    fs::file_time_type::clock::now() - std::chrono::seconds(100 - i));
            }
        }
    }
    const auto names = files();
    ASSERT_EQ(names.size(), 3u);
    for (const auto& n : names) {
        const auto id = requestIdOfLogName(n);
        ASSERT_TRUE(id);
        EXPECT_TRUE(*id == "id3" || *id == "id4" || *id == "id5") << n;
    }
}
