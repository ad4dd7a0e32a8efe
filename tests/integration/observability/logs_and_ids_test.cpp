// `log-format: json` and client request ids through the real server.
#include "observability_support.hpp"

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

using namespace cpa::test;
using namespace cpa::test::obs;

namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (!l.empty()) out.push_back(l);
    return out;
}

/// The parsed log lines whose request_id is `id`.
std::vector<Poco::JSON::Object::Ptr> entriesFor(const std::string& text, const std::string& id) {
    std::vector<Poco::JSON::Object::Ptr> out;
    for (const std::string& l : lines(text)) {
        auto obj = jsonObject(l);
        if (obj->getValue<std::string>("request_id") == id) out.push_back(obj);
    }
    return out;
}

void expectEveryLineIsAJsonEntry(const std::string& text) {
    for (const std::string& l : lines(text)) {
        Poco::JSON::Object::Ptr obj;
        ASSERT_NO_THROW(obj = jsonObject(l)) << l;
        for (const char* field : {"time", "level", "request_id", "logger", "msg"})
            EXPECT_TRUE(obj->has(field)) << field << " missing in " << l;
    }
}

}  // namespace

TEST(JsonLogs, StdoutAndMainLogLinesAreJsonWithTheRequestId) {
    FakeUpstream up;
    UpstreamReply ok;
    ok.body = R"({"id":"c1","object":"chat.completion","choices":[]})";
    up.enqueue(ok);
    ServerProcess srv(server(proxyConfig(up, "log-format: json\n")));
    HttpClient c("127.0.0.1", srv.port());
    const HttpResponse r = chat(c);
    ASSERT_EQ(r.status, 200);
    const std::string id = r.header("X-Request-Id").value_or("");
    ASSERT_FALSE(id.empty());
    ASSERT_TRUE(eventually([&] { return srv.stdoutText().find("\"request_id\":\"" + id + "\"") != std::string::npos; }))
        << srv.stdoutText();
    const std::string out = srv.stdoutText();
    ASSERT_GE(lines(out).size(), 3u);
    expectEveryLineIsAJsonEntry(out);
    const auto access = entriesFor(out, id);
    ASSERT_EQ(access.size(), 1u) << out;
    EXPECT_EQ(access[0]->getValue<std::string>("logger"), "cpa.access");
    EXPECT_EQ(access[0]->getValue<int>("status"), 200);
    EXPECT_EQ(access[0]->getValue<std::string>("method"), "POST");
    EXPECT_EQ(access[0]->getValue<std::string>("path"), "/v1/chat/completions");
    EXPECT_EQ(access[0]->getValue<std::string>("client_ip"), "127.0.0.1");
    EXPECT_GE(access[0]->getValue<double>("latency_ms"), 0.0);

    // The same format in main.log once logging-to-file is switched on (a reload).
    std::ofstream(srv.configPath(), std::ios::binary) << proxyConfig(up, "log-format: json\nlogging-to-file: true\n");
    const auto mainLog = srv.dir() / "logs" / "main.log";
    ASSERT_TRUE(eventually([&] {
        return c.get("/healthz?probe=1").status == 200 && slurp(mainLog).find("probe=1") != std::string::npos;
    })) << slurp(mainLog);
    expectEveryLineIsAJsonEntry(slurp(mainLog));
}

TEST(RequestIds, ASafeClientIdRoundTripsToTheHeaderAndTheRequestLog) {
    FakeUpstream up;
    UpstreamReply ok;
    ok.body = R"({"id":"c1","object":"chat.completion","choices":[]})";
    up.enqueue(ok);
    ServerProcess srv(server(proxyConfig(up)));
    HttpClient c("127.0.0.1", srv.port());
    const std::string id = "trace-2026.abc_DEF-01";
    const HttpResponse r = chat(c, false, {{"X-Request-Id", id}});
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("X-Request-Id").value_or(""), id);
    HttpResponse log;
    ASSERT_TRUE(eventually([&] {
        log = c.get("/v0/management/request-log-by-id/" + id, kMgmt);
        return log.status == 200;
    })) << log.status << " " << log.body;
    EXPECT_NE(log.body.find("/v1/chat/completions"), std::string::npos) << log.body;

    // Any route keeps a safe id, including 404s and the management API.
    EXPECT_EQ(c.get("/nowhere", {{"X-Request-Id", "abc"}}).header("X-Request-Id").value_or(""), "abc");
}

TEST(RequestIds, AnUnsafeClientIdIsReplaced) {
    ServerProcess srv(server(loopbackConfig("modules: [logs]\n")));
    HttpClient c("127.0.0.1", srv.port());
    const std::regex generated("[0-9a-f]{16}");
    for (const std::string& bad : {std::string("has space"), std::string("semi;colon"), std::string("a/b"),
                                  std::string(65, 'a'), std::string("%41"), std::string("")}) {
        const HttpResponse r = c.get("/healthz", {{"X-Request-Id", bad}});
        const std::string got = r.header("X-Request-Id").value_or("");
        EXPECT_NE(got, bad);
        EXPECT_TRUE(std::regex_match(got, generated)) << got;
    }
    EXPECT_EQ(c.get("/healthz", {{"X-Request-Id", std::string(64, 'a')}}).header("X-Request-Id").value_or(""),
              std::string(64, 'a'))
        << "64 characters are still safe";
}
