// GET /auth-files (every field, order, filters), /auth-files/models,
// /model-definitions/:channel, download and the hand-dropped file.
#include "oauth_files_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

using namespace cpa::test;
using namespace std::chrono_literals;

namespace {

Poco::JSON::Object::Ptr entryNamed(OAuthServer& s, const std::string& name) {
    auto files = listFiles(s);
    for (std::size_t i = 0; i < files->size(); ++i) {
        if (files->getObject(i)->getValue<std::string>("name") == name) return files->getObject(i);
    }
    return nullptr;
}

std::set<std::string> keysOf(const Poco::JSON::Object::Ptr& o) {
    std::set<std::string> out;
    for (const auto& [k, v] : *o) out.insert(k);
    return out;
}

// {"https://api.openai.com/auth":{"chatgpt_account_id":"acc-1","chatgpt_plan_type":"plus"}}
const char* kCodexJwt =
    "eyJhbGciOiJub25lIn0.eyJodHRwczovL2FwaS5vcGVuYWkuY29tL2F1dGgiOnsiY2hhdGdwdF9hY2NvdW50X2lkIjoiYWNjLTEiLCJjaGF0Z3B0"
    "X3BsYW5fdHlwZSI6InBsdXMifX0.sig";

}  // namespace

TEST(OAuthFilesList, EveryFieldOrderAndFilters) {
    OAuthServer s("", false);
    s.put("alpha.json", R"({"type":"claude","email":"a@x.com","priority":"5","note":"  hi  ","last_refresh":"2026-05-01T12:00:03+08:00"})");
    s.put("Beta.json", R"({"type":"codex","email":"b@x.com","id_token":")" + std::string(kCodexJwt) + R"("})");
    s.put("off.json", R"({"type":"kimi","disabled":true})");
    s.put("multi.json", R"({"type":"gemini","email":"g@x.com","project_id":"p-one, p two"})");
    s.put("untyped.json", R"({"email":"nobody@x.com"})");
    s.put("notes.txt", "not a credential");
    s.start();

    EXPECT_EQ(listedNames(s), (std::vector<std::string>{"alpha.json", "Beta.json", "multi.json",
                                                         "multi.json::p-one", "multi.json::p_two", "off.json"}));
    auto a = entryNamed(s, "alpha.json");
    ASSERT_TRUE(a);
    EXPECT_EQ(keysOf(a), (std::set<std::string>{"id", "auth_index", "name", "type", "provider", "label", "status",
                                                "status_message", "disabled", "unavailable", "runtime_only", "source",
                                                "size", "success", "failed", "recent_requests", "email",
                                                "account_type", "account", "created_at", "updated_at", "modtime",
                                                "last_refresh", "path", "priority", "note"}));
    EXPECT_EQ(a->getValue<std::string>("id"), "alpha.json");
    EXPECT_EQ(a->getValue<std::string>("auth_index"), "dc4974f2e4f6ede0");  // sha256("file:alpha.json")[:8]
    EXPECT_EQ(a->getValue<std::string>("type"), "claude");
    EXPECT_EQ(a->getValue<std::string>("label"), "a@x.com");
    EXPECT_EQ(a->getValue<std::string>("status"), "active");
    EXPECT_EQ(a->getValue<std::string>("source"), "file");
    EXPECT_EQ(a->getValue<int>("size"), static_cast<int>(std::filesystem::file_size(s.auth / "alpha.json")));
    EXPECT_EQ(a->getValue<std::string>("path"), (s.auth / "alpha.json").string());
    EXPECT_EQ(a->getValue<int>("priority"), 5);
    EXPECT_EQ(a->getValue<std::string>("note"), "hi");
    EXPECT_EQ(a->getValue<std::string>("account_type"), "oauth");
    EXPECT_EQ(a->getValue<std::string>("last_refresh"), "2026-05-01T04:00:03Z");
    EXPECT_FALSE(a->getValue<bool>("disabled"));
    auto buckets = a->getArray("recent_requests");
    ASSERT_EQ(buckets->size(), 20u);
    EXPECT_EQ(buckets->getObject(0)->getValue<std::string>("time").size(), 11u);  // HH:MM-HH:MM

    auto b = entryNamed(s, "Beta.json");
    ASSERT_TRUE(b);
    auto claims = b->getObject("id_token");
    ASSERT_TRUE(claims);
    EXPECT_EQ(claims->getValue<std::string>("chatgpt_account_id"), "acc-1");
    EXPECT_EQ(claims->getValue<std::string>("plan_type"), "plus");

    auto off = entryNamed(s, "off.json");
    ASSERT_TRUE(off);
    EXPECT_TRUE(off->getValue<bool>("disabled"));
    EXPECT_EQ(off->getValue<std::string>("status"), "disabled");

    auto primary = entryNamed(s, "multi.json");
    ASSERT_TRUE(primary);
    EXPECT_EQ(primary->getValue<std::string>("type"), "gemini-cli");
    EXPECT_TRUE(primary->getValue<bool>("disabled"));
    auto child = entryNamed(s, "multi.json::p_two");
    ASSERT_TRUE(child);
    EXPECT_TRUE(child->getValue<bool>("runtime_only"));
    EXPECT_EQ(child->getValue<std::string>("label"), "g@x.com [p two]");
    EXPECT_EQ(child->getValue<std::string>("account"), "g@x.com (p two)");
    EXPECT_NE(child->getValue<std::string>("auth_index"), primary->getValue<std::string>("auth_index"));

    // The raw JSON keeps the original's alphabetical key order.
    auto raw = s.call("GET", "/auth-files").body;
    EXPECT_LT(raw.find("\"account\""), raw.find("\"auth_index\""));
}

TEST(OAuthFilesList, FileDroppedByHandAppearsWithinASecond) {
    OAuthServer s;
    EXPECT_TRUE(listedNames(s).empty());
    const auto t0 = std::chrono::steady_clock::now();
    s.put("dropped.json", R"({"type":"claude","email":"d@x.com"})");
    bool seen = false;
    while (std::chrono::steady_clock::now() - t0 < 1000ms) {
        if (listedNames(s) == std::vector<std::string>{"dropped.json"}) {
            seen = true;
            break;
        }
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_TRUE(seen);
    std::filesystem::remove(s.auth / "dropped.json");
    std::this_thread::sleep_for(700ms);
    EXPECT_TRUE(listedNames(s).empty());
}

TEST(OAuthFilesList, ModelsAndModelDefinitions) {
    OAuthServer s;
    auto r = s.call("GET", "/auth-files/models");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"name is required"})");
    r = s.call("GET", "/auth-files/models?name=nope.json");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"models":[]})");

    r = s.call("GET", "/model-definitions/%20CLAUDE%20");
    ASSERT_EQ(r.status, 200) << r.body;
    auto o = jsonObject(r.body);
    EXPECT_EQ(o->getValue<std::string>("channel"), "claude");
    auto models = o->getArray("models");
    ASSERT_GT(models->size(), 3u);
    EXPECT_EQ(models->getObject(0)->getValue<std::string>("id"), "claude-haiku-4-5-20251001");
    EXPECT_EQ(r.body.find("{\"id\":\"claude-haiku-4-5-20251001\",\"object\":\"model\",\"created\":1759276800,"),
              r.body.find("{\"id\":"));

    r = s.call("GET", "/model-definitions/codex");
    ASSERT_EQ(r.status, 200);
    models = jsonObject(r.body)->getArray("models");
    auto last = models->getObject(models->size() - 1);
    EXPECT_EQ(last->getValue<std::string>("id"), "gpt-image-2");
    EXPECT_EQ(last->getValue<std::string>("display_name"), "GPT Image 2");
    EXPECT_EQ(last->getValue<long>("created"), 1704067200);

    for (const char* ch : {"gemini", "vertex", "gemini-cli", "aistudio", "kimi", "antigravity"}) {
        EXPECT_EQ(s.call("GET", std::string("/model-definitions/") + ch).status, 200) << ch;
    }
    r = s.call("GET", "/model-definitions/Nope");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"channel":"Nope","error":"unknown channel"})");
}

TEST(OAuthFilesList, DownloadAndTraversalCatalogue) {
    OAuthServer s("", false);
    const std::string bytes = "{\"type\":\"codex\"}  \n";
    s.put("download-user.json", bytes);
    OAuthServer::write(s.outside / "secret.json", "{\"secret\":true}");
    OAuthServer::write(s.root.path() / "x.json", "{\"secret\":true}");
    std::filesystem::create_symlink(s.outside / "secret.json", s.auth / "link.json");
    s.start();

    auto r = s.call("GET", "/auth-files/download?name=download-user.json");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body, bytes);
    EXPECT_EQ(r.header("Content-Type").value_or(""), "application/json");
    EXPECT_EQ(r.header("Content-Disposition").value_or(""), "attachment; filename=\"download-user.json\"");

    for (const char* q : {"../x.json", "..%2fx.json", "..%2Foutside%2Fsecret.json", "a/b.json", "a%5Cb.json",
                          "..%5Cexternal%5Csecret.json", "nested/secret.json", "%2Fetc%2Fpasswd", "x.json%00.json",
                          "", "%20"}) {
        r = s.call("GET", std::string("/auth-files/download?name=") + q);
        EXPECT_EQ(r.status, 400) << q;
        EXPECT_EQ(r.body, R"({"error":"invalid name"})") << q;
    }
    r = s.call("GET", "/auth-files/download?name=" + std::string(256, 'a') + ".json");
    EXPECT_EQ(r.status, 400);
    r = s.call("GET", "/auth-files/download?name=" + (s.outside / "secret.json").string());
    EXPECT_EQ(r.status, 400);
    r = s.call("GET", "/auth-files/download?name=link.json");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body.find("secret"), std::string::npos);
    r = s.call("GET", "/auth-files/download?name=missing.json");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, R"({"error":"file not found"})");
    r = s.call("GET", "/auth-files/download?name=notes.txt");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"name must end with .json"})");
    // The symlinked credential is not listed either.
    EXPECT_EQ(listedNames(s), std::vector<std::string>{"download-user.json"});
}
