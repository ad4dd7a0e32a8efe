// PATCH /auth-files/status and /auth-files/fields, checked on disk.
#include "oauth_files_support.hpp"

#include <gtest/gtest.h>

using namespace cpa::test;

TEST(OAuthFilesPatch, StatusErrorsAndPersistence) {
    OAuthServer s("", false);
    s.put("c.json", R"({"type":"codex","email":"c@x.com"})");
    s.start();
    struct Case {
        std::string body;
        int status;
        std::string reply;
    };
    for (const Case& c : std::vector<Case>{{"nope", 400, R"({"error":"invalid request body"})"},
                                           {R"({"name":5})", 400, R"({"error":"invalid request body"})"},
                                           {R"({"name":"  ","disabled":true})", 400, R"({"error":"name is required"})"},
                                           {R"({"name":"c.json"})", 400, R"({"error":"disabled is required"})"},
                                           {R"({"name":"c.json","disabled":null})", 400,
                                            R"({"error":"disabled is required"})"},
                                           {R"({"name":"c.json","disabled":"yes"})", 400,
                                            R"({"error":"invalid request body"})"},
                                           {R"({"name":"zz.json","disabled":true})", 404,
                                            R"({"error":"auth file not found"})"}}) {
        auto r = s.call("PATCH", "/auth-files/status", c.body);
        EXPECT_EQ(r.status, c.status) << c.body;
        EXPECT_EQ(r.body, c.reply) << c.body;
    }
    EXPECT_EQ(fileText(s.auth / "c.json"), R"({"type":"codex","email":"c@x.com"})");

    auto r = s.call("PATCH", "/auth-files/status", R"({"name":"c.json","disabled":true})");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"disabled":true,"status":"ok"})");
    EXPECT_EQ(fileText(s.auth / "c.json"), "{\"disabled\":true,\"email\":\"c@x.com\",\"type\":\"codex\"}\n");
    EXPECT_EQ(fileMode(s.auth / "c.json"), 0600u);
    auto e = listFiles(s)->getObject(0);
    EXPECT_TRUE(e->getValue<bool>("disabled"));
    EXPECT_EQ(e->getValue<std::string>("status"), "disabled");
    EXPECT_EQ(e->getValue<std::string>("status_message"), "disabled via management API");

    r = s.call("PATCH", "/auth-files/status", R"({"name":"c.json","disabled":false})");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"disabled":false,"status":"ok"})");
    EXPECT_NE(fileText(s.auth / "c.json").find("\"disabled\":false"), std::string::npos);
    e = listFiles(s)->getObject(0);
    EXPECT_EQ(e->getValue<std::string>("status"), "active");
    EXPECT_EQ(e->getValue<std::string>("status_message"), "");
}

TEST(OAuthFilesPatch, FieldsMergeHeadersAndPersist) {
    OAuthServer s("", false);
    s.put("h.json", R"({"type":"claude","headers":{"X-Old":"old","X-Remove":"gone"}})");
    s.put("noop.json", R"({"type":"claude","headers":{"X-Keep":"1"}})");
    s.start();

    auto r = s.call("PATCH", "/auth-files/fields",
                    R"({"name":"h.json","headers":{"X-Old":"new","X-New":"v","X-Remove":"  ","X-Nope":""}})");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, R"({"status":"ok"})");
    EXPECT_EQ(fileText(s.auth / "h.json"), "{\"headers\":{\"X-New\":\"v\",\"X-Old\":\"new\"},\"type\":\"claude\"}\n");

    r = s.call("PATCH", "/auth-files/fields", R"({"name":"noop.json","note":"hello","headers":{}})");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(fileText(s.auth / "noop.json"),
              "{\"headers\":{\"X-Keep\":\"1\"},\"note\":\"hello\",\"type\":\"claude\"}\n");

    r = s.call("PATCH", "/auth-files/fields",
               R"({"name":"noop.json","prefix":" teamA ","proxy_url":"socks5://h:1080","priority":5,"note":"  "})");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(fileText(s.auth / "noop.json"),
              "{\"headers\":{\"X-Keep\":\"1\"},\"prefix\":\"teamA\",\"priority\":5,\"proxy_url\":\"socks5://h:1080\","
              "\"type\":\"claude\"}\n");
    auto e = listFiles(s)->getObject(1);
    EXPECT_EQ(e->getValue<int>("priority"), 5);

    r = s.call("PATCH", "/auth-files/fields", R"({"name":"noop.json","priority":0,"prefix":"","proxy_url":""})");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(fileText(s.auth / "noop.json"), "{\"headers\":{\"X-Keep\":\"1\"},\"type\":\"claude\"}\n");

    const std::string before = fileText(s.auth / "noop.json");
    for (const auto& [body, reply] : std::vector<std::pair<std::string, std::string>>{
             {R"({"name":"noop.json"})", R"({"error":"no fields to update"})"},
             {R"({"name":"noop.json","headers":{"X-Keep":"1"}})", R"({"error":"no fields to update"})"},
             {R"({"name":"noop.json","priority":1.5})", R"({"error":"invalid request body"})"},
             {R"({"name":"noop.json","priority":"3"})", R"({"error":"invalid request body"})"},
             {R"({"priority":3})", R"({"error":"name is required"})"},
             {"[]", R"({"error":"invalid request body"})"}}) {
        r = s.call("PATCH", "/auth-files/fields", body);
        EXPECT_EQ(r.status, 400) << body;
        EXPECT_EQ(r.body, reply) << body;
    }
    r = s.call("PATCH", "/auth-files/fields", R"({"name":"gone.json","note":"x"})");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, R"({"error":"auth file not found"})");
    EXPECT_EQ(fileText(s.auth / "noop.json"), before);
}
