// Built-in routes, plain 404s, CORS preflights, request ids and the error
// mapping, through the real server process.
#include "integration_support.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace cpa::test {
namespace {

class BasicRoutes : public ::testing::Test {
protected:
    ServerProcess server{testkitServer()};
    HttpClient client{"127.0.0.1", server.port()};
};

void expectPlain404(const HttpResponse& r) {
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, "404 page not found");
    ASSERT_TRUE(r.header("Content-Type"));
    EXPECT_EQ(r.header("Content-Type")->rfind("text/plain", 0), 0u) << *r.header("Content-Type");
}

TEST_F(BasicRoutes, ListeningLineIsPrintedExactlyOnce) {
    EXPECT_EQ(countOccurrences(server.stderrText(), "cpa-server listening on 127.0.0.1:" +
                                                        std::to_string(server.port()) + "\n"),
              1u)
        << server.stderrText();
}

TEST_F(BasicRoutes, HealthzAnswersOkJson) {
    const HttpResponse r = client.get("/healthz");
    EXPECT_EQ(r.status, 200);
    ASSERT_TRUE(r.header("Content-Type"));
    EXPECT_NE(r.header("Content-Type")->find("application/json"), std::string::npos);
    const auto obj = jsonObject(r.body);
    EXPECT_EQ(obj->getValue<std::string>("status"), "ok");
}

TEST_F(BasicRoutes, UnknownPathIsPlain404) {
    expectPlain404(client.get("/no/such/path"));
    expectPlain404(client.get("/v0/management/config"));  // no module serves it here
}

TEST_F(BasicRoutes, WrongMethodOnKnownPathIsPlain404NotA405) {
    expectPlain404(client.request("DELETE", "/healthz"));
    expectPlain404(client.request("POST", "/test/echo-ip", {}, "{}"));
}

TEST_F(BasicRoutes, OptionsIsAnsweredWithCorsHeadersForAnyPath) {
    for (const std::string path : {"/healthz", "/no/such/path", "/v0/management/config"}) {
        const HttpResponse r = client.request("OPTIONS", path);
        EXPECT_EQ(r.status, 204) << path;
        EXPECT_TRUE(r.body.empty()) << path;
        EXPECT_EQ(r.header("Access-Control-Allow-Origin").value_or("<none>"), "*") << path;
        EXPECT_EQ(r.header("Access-Control-Allow-Methods").value_or("<none>"),
                  "GET, POST, PUT, PATCH, DELETE, OPTIONS")
            << path;
        EXPECT_EQ(r.header("Access-Control-Allow-Headers").value_or("<none>"), "*") << path;
    }
}

TEST_F(BasicRoutes, CorsHeadersAreOnOrdinaryResponsesToo) {
    const HttpResponse ok = client.get("/healthz");
    EXPECT_EQ(ok.header("Access-Control-Allow-Origin").value_or("<none>"), "*");
    const HttpResponse missing = client.get("/nope");
    EXPECT_EQ(missing.header("Access-Control-Allow-Origin").value_or("<none>"), "*");
}

TEST_F(BasicRoutes, RequestIdsArePresentHexAndUniqueOver1000Requests) {
    const std::regex hex("^[0-9a-fA-F]{16,}$");
    std::set<std::string> ids;
    for (int i = 0; i < 1000; ++i) {
        // Mix matched, unmatched and preflight requests: every response has one.
        const HttpResponse r = i % 10 == 0 ? client.get("/nope") : i % 10 == 1 ? client.request("OPTIONS", "/x")
                                                                                 : client.get("/healthz");
        const auto id = r.header("X-Request-Id");
        ASSERT_TRUE(id) << "request " << i << " status " << r.status;
        EXPECT_EQ(r.headerCount("X-Request-Id"), 1u);
        ASSERT_TRUE(std::regex_match(*id, hex)) << *id;
        ids.insert(*id);
    }
    EXPECT_EQ(ids.size(), 1000u);
}

TEST_F(BasicRoutes, UnexpectedExceptionIs500WithoutDetailAndKeepsTheConnection) {
    const HttpResponse first = client.get("/healthz");
    ASSERT_EQ(first.status, 200);
    const std::uint16_t localPort = client.localPort();
    ASSERT_NE(localPort, 0);

    const HttpResponse r = client.get("/test/throw");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body.find("secret detail"), std::string::npos) << r.body;
    const auto obj = jsonObject(r.body);
    EXPECT_EQ(obj->size(), 1u) << r.body;
    EXPECT_EQ(obj->getValue<std::string>("error"), "internal server error");
    ASSERT_TRUE(r.header("X-Request-Id"));

    // The same keep-alive connection goes on serving.
    const HttpResponse after = client.get("/healthz");
    EXPECT_EQ(after.status, 200);
    EXPECT_EQ(client.localPort(), localPort) << "the connection was not kept alive";

    // The detail is logged (with the request id) for the operator instead.
    const std::string log = server.stdoutText();  // the application log, as the original writes it
    EXPECT_NE(log.find("secret detail"), std::string::npos) << log;
    EXPECT_NE(log.find(*r.header("X-Request-Id")), std::string::npos) << log;
}

TEST_F(BasicRoutes, HttpErrorKeepsItsStatusAndMessage) {
    const HttpResponse r = client.get("/test/http-error");
    EXPECT_EQ(r.status, 418);
    EXPECT_EQ(jsonObject(r.body)->getValue<std::string>("error"), "teapot");
    EXPECT_EQ(client.get("/healthz").status, 200);
}

TEST_F(BasicRoutes, ModuleRouteServesItsJson) {
    const HttpResponse r = client.get("/test/slow?ms=5");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(jsonObject(r.body)->getValue<int>("slept"), 5);
}

}  // namespace
}  // namespace cpa::test
