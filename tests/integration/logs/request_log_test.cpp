// Request logs end to end: a fixture module publishes `request.completed`
// records; the logs module writes the files the endpoints then serve.
#include "logs_test_support.hpp"

#include <gtest/gtest.h>

using namespace cpa::test;
using namespace cpa::test::logs;
namespace fs = std::filesystem;

namespace {

ServerProcessOptions publisherServer(const std::string& extra) {
    ServerProcessOptions o;
    o.configText = loopbackConfig("modules: [logs, logs_publisher]\nremote-management:\n  secret-key: \"logs-secret\"\n" +
                                  extra);
    o.modulesDir = kModulesDir;
    return o;
}

std::string record(int status, const std::string& path = "/v1/chat/completions") {
    return R"({"method":"POST","path":")" + path +
           R"(","query":"key=sk-abcdefghijkl","timestamp":"2026-05-01T12:00:03.000000001+00:00",)"
           R"("request_headers":[["Authorization","Bearer sk-1234567890abcd"],["Content-Type","application/json"]],)"
           R"("request_body":"{\"model\":\"gpt-5\"}","status":)" +
           std::to_string(status) + R"(,"response_headers":[["Content-Type","application/json"]],"response_body":"{}"})";
}

std::string publish(HttpClient& c, const std::string& body) {
    auto r = c.request("POST", "/test/request-completed", {{"Content-Type", "application/json"}}, body);
    EXPECT_EQ(r.status, 200) << r.body;
    return jsonObject(r.body)->getValue<std::string>("request_id");
}

}  // namespace

TEST(LogsRequestLogs, ErrorOnlyModeWritesListsAndServesErrorFiles) {
    ServerProcess server(publisherServer("request-log: false\nerror-logs-max-files: 2\n"));
    HttpClient c("127.0.0.1", server.port());
    publish(c, record(200));
    publish(c, record(500, "/v0/management/config"));  // never captured
    const std::string id = publish(c, record(502));
    ASSERT_FALSE(id.empty());

    HttpResponse list;
    ASSERT_TRUE(eventually([&] {
        list = c.get(kBase + "/request-error-logs", kAuth);
        return jsonObject(list.body)->getArray("files")->size() == 1;
    })) << list.body;
    const std::string name = jsonObject(list.body)->getArray("files")->getObject(0)->getValue<std::string>("name");
    EXPECT_EQ(name.rfind("error-v1-chat-completions-", 0), 0u) << name;
    EXPECT_NE(name.find("-" + id + ".log"), std::string::npos) << name;

    auto byName = c.get(kBase + "/request-error-logs/" + name, kAuth);
    ASSERT_EQ(byName.status, 200);
    EXPECT_EQ(byName.body.rfind("=== REQUEST INFO ===\nVersion: ", 0), 0u) << byName.body;
    EXPECT_NE(byName.body.find("URL: /v1/chat/completions?key=sk-a...ijkl\n"), std::string::npos);
    EXPECT_NE(byName.body.find("Authorization: Bearer sk-1...abcd\n"), std::string::npos);
    EXPECT_EQ(byName.body.find("sk-1234567890abcd"), std::string::npos);
    EXPECT_NE(byName.body.find("=== RESPONSE ===\nStatus: 502\n"), std::string::npos);
    EXPECT_EQ(c.get(kBase + "/request-log-by-id/" + id, kAuth).body, byName.body);

    // Retention: error-logs-max-files 2 keeps the newest two.
    publish(c, record(400));
    publish(c, record(401));
    ASSERT_TRUE(eventually([&] {
        int n = 0;
        for (const auto& e : fs::directory_iterator(server.dir() / "logs")) {
            n += e.path().filename().string().rfind("error-", 0) == 0 ? 1 : 0;
        }
        return n == 2 && c.get(kBase + "/request-log-by-id/" + id, kAuth).status == 404;
    }));
}

TEST(LogsRequestLogs, FullModeLogsSuccessfulRequestsToo) {
    ServerProcess server(publisherServer("request-log: true\n"));
    HttpClient c("127.0.0.1", server.port());
    const std::string id = publish(c, record(200, "/v1internal:generateContent"));
    HttpResponse r;
    ASSERT_TRUE(eventually([&] {
        r = c.get(kBase + "/request-log-by-id/" + id, kAuth);
        return r.status == 200;
    })) << r.body;
    EXPECT_NE(r.header("Content-Disposition").value_or("").find("filename=\"v1internal-generateContent-"),
              std::string::npos);
    EXPECT_NE(r.body.find("=== RESPONSE ===\nStatus: 200\n"), std::string::npos);
    EXPECT_EQ(c.get(kBase + "/request-error-logs", kAuth).body, R"({"files":[]})");
}
