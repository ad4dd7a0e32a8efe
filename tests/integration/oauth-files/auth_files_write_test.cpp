// POST and DELETE /auth-files: statuses, bodies and the files on disk after
// every call, hostile names included.
#include "oauth_files_support.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

using namespace cpa::test;
namespace fs = std::filesystem;

TEST(OAuthFilesUpload, RawJsonWithName) {
    OAuthServer s;
    const std::string bytes = "{ \"type\" : \"claude\", \"email\": \"r@x.com\" }";
    auto r = s.call("POST", "/auth-files?name=raw.json", bytes, {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"ok"})");
    EXPECT_EQ(fileText(s.auth / "raw.json"), bytes);
    EXPECT_EQ(fileMode(s.auth / "raw.json"), 0600u);
    EXPECT_EQ(listedNames(s), std::vector<std::string>{"raw.json"});

    // D11: invalid JSON is a 400 and the existing file is left untouched.
    r = s.call("POST", "/auth-files?name=raw.json", "{broken", {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body.rfind(R"({"error":"invalid auth file: )", 0), 0u) << r.body;
    EXPECT_EQ(fileText(s.auth / "raw.json"), bytes);
    r = s.call("POST", "/auth-files?name=arr.json", "[1]");
    EXPECT_EQ(r.status, 400);
    EXPECT_FALSE(fs::exists(s.auth / "arr.json"));

    r = s.call("POST", "/auth-files?name=raw.txt", "{}");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"name must end with .json"})");
    for (const char* q : {"", "..%2Fescape.json", "a%5Cb.json", "%2Ftmp%2Fescape.json", "x%00.json"}) {
        r = s.call("POST", std::string("/auth-files?name=") + q, "{}");
        EXPECT_EQ(r.status, 400) << q;
        EXPECT_EQ(r.body, R"({"error":"invalid name"})") << q;
    }
    EXPECT_FALSE(fs::exists(s.root.path() / "escape.json"));
    EXPECT_FALSE(fs::exists("/tmp/escape.json"));
    EXPECT_EQ(std::distance(fs::directory_iterator(s.auth), fs::directory_iterator()), 1);
}

TEST(OAuthFilesUpload, MultipartSingleAndMany) {
    OAuthServer s;
    auto [body, headers] = multipart({{"file", "one.json", R"({"type":"codex"})"}});
    auto r = s.call("POST", "/auth-files", body, headers);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"ok"})");
    EXPECT_EQ(fileText(s.auth / "one.json"), R"({"type":"codex"})");
    EXPECT_EQ(fileMode(s.auth / "one.json"), 0600u);

    std::tie(body, headers) = multipart({{"file", "one.txt", "{}"}});
    r = s.call("POST", "/auth-files", body, headers);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"file must be .json"})");
    // D11 for the single-file multipart upload too.
    std::tie(body, headers) = multipart({{"file", "bad.json", "{nope"}});
    r = s.call("POST", "/auth-files", body, headers);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body.rfind(R"({"error":"invalid auth file: )", 0), 0u) << r.body;
    EXPECT_FALSE(fs::exists(s.auth / "bad.json"));

    // Directory parts of client file names are dropped: nothing lands outside.
    std::tie(body, headers) = multipart({{"file", "../../evil.json", R"({"type":"kimi"})"}});
    r = s.call("POST", "/auth-files", body, headers);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(fs::exists(s.auth / "evil.json"));
    EXPECT_FALSE(fs::exists(s.root.path() / "evil.json"));

    std::tie(body, headers) =
        multipart({{"b", "b.json", R"({"type":"claude"})"}, {"a", "a.json", R"({"type":"claude"})"}});
    r = s.call("POST", "/auth-files", body, headers);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"files":["a.json","b.json"],"status":"ok","uploaded":2})");

    std::tie(body, headers) = multipart({{"file", "c.json", R"({"type":"claude"})"},
                                         {"file", "c.txt", "{}"},
                                         {"file", "d.json", "not json"},
                                         {"note", "", "a plain field"}});
    r = s.call("POST", "/auth-files", body, headers);
    EXPECT_EQ(r.status, 207);
    auto o = jsonObject(r.body);
    EXPECT_EQ(o->getValue<std::string>("status"), "partial");
    EXPECT_EQ(o->getValue<int>("uploaded"), 1);
    auto failed = o->getArray("failed");
    ASSERT_EQ(failed->size(), 2u);
    EXPECT_EQ(failed->getObject(0)->getValue<std::string>("name"), "c.txt");
    EXPECT_EQ(failed->getObject(0)->getValue<std::string>("error"), "file must be .json");
    EXPECT_EQ(failed->getObject(1)->getValue<std::string>("name"), "d.json");
    EXPECT_TRUE(fs::exists(s.auth / "c.json"));
    EXPECT_FALSE(fs::exists(s.auth / "d.json"));

    std::tie(body, headers) = multipart({{"note", "", "no file"}});
    r = s.call("POST", "/auth-files", body, headers);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"no files uploaded"})");
    r = s.call("POST", "/auth-files", "garbage", {{"Content-Type", "multipart/form-data"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body.rfind(R"({"error":"invalid multipart form: )", 0), 0u) << r.body;
}

TEST(OAuthFilesDelete, ByNameSeveralAndAll) {
    OAuthServer s;
    for (const char* n : {"a.json", "b.json", "c.json", "d.json", "e.json"}) s.put(n, R"({"type":"claude"})");
    s.put("keep.txt", "x");
    OAuthServer::write(s.outside / "a.json", "OUTSIDE");
    OAuthServer::write(s.root.path() / "x.json", "PARENT");
    fs::create_symlink(s.outside / "a.json", s.auth / "link.json");

    auto r = s.call("DELETE", "/auth-files?name=a.json");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"ok"})");
    EXPECT_FALSE(fs::exists(s.auth / "a.json"));
    EXPECT_EQ(fileText(s.outside / "a.json"), "OUTSIDE");

    r = s.call("DELETE", "/auth-files?name=a.json");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, R"({"error":"auth file not found"})");

    for (const char* q : {"..%2Fx.json", "..%2Foutside%2Fa.json", "a%5Cb.json", "%2Ftmp%2Fx.json", "..", "x%00.json"}) {
        r = s.call("DELETE", std::string("/auth-files?name=") + q);
        EXPECT_EQ(r.status, 400) << q << " " << r.body;
    }
    r = s.call("DELETE", "/auth-files?name=link.json");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(fileText(s.outside / "a.json"), "OUTSIDE");
    EXPECT_EQ(fileText(s.root.path() / "x.json"), "PARENT");
    r = s.call("DELETE", "/auth-files?name=keep.txt");
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(fs::exists(s.auth / "keep.txt"));

    r = s.call("DELETE", "/auth-files?name=b.json&name=c.json&name=b.json");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"deleted":2,"files":["b.json","c.json"],"status":"ok"})");
    EXPECT_FALSE(fs::exists(s.auth / "b.json"));

    r = s.call("DELETE", "/auth-files", R"(["d.json","zz.json"])");
    EXPECT_EQ(r.status, 207);
    EXPECT_EQ(r.body,
              R"({"deleted":1,"failed":[{"error":"auth file not found","name":"zz.json"}],"files":["d.json"],"status":"partial"})");
    EXPECT_FALSE(fs::exists(s.auth / "d.json"));

    r = s.call("DELETE", "/auth-files", R"({"name":"e.json","names":[]})");
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(fs::exists(s.auth / "e.json"));
    r = s.call("DELETE", "/auth-files", "{bad");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"invalid request body"})");
    r = s.call("DELETE", "/auth-files");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"invalid name"})");
    EXPECT_TRUE(listedNames(s).empty());

    for (const char* n : {"f.json", "G.JSON"}) s.put(n, R"({"type":"claude"})");
    r = s.call("DELETE", "/auth-files?all=true");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"deleted":2,"status":"ok"})");
    EXPECT_TRUE(fs::exists(s.auth / "keep.txt"));
    EXPECT_TRUE(fs::is_symlink(s.auth / "link.json"));
    EXPECT_EQ(fileText(s.outside / "a.json"), "OUTSIDE");
    EXPECT_TRUE(listedNames(s).empty());
}

// A name that is a symlink in auth-dir is "not found" for every operation; an
// upload under it is refused the same way and neither the link nor its target
// changes.
TEST(OAuthFilesUpload, SymlinkNameIsRefusedLikeEveryOtherOperation) {
    OAuthServer s;
    OAuthServer::write(s.outside / "target.json", "OUTSIDE");
    fs::create_symlink(s.outside / "target.json", s.auth / "link.json");

    auto del = s.call("DELETE", "/auth-files?name=link.json");
    auto raw = s.call("POST", "/auth-files?name=link.json", R"({"type":"claude"})",
                      {{"Content-Type", "application/json"}});
    EXPECT_EQ(raw.status, del.status);
    EXPECT_EQ(raw.body, del.body);
    EXPECT_EQ(raw.status, 404);
    EXPECT_EQ(raw.body, R"({"error":"auth file not found"})");

    auto [body, headers] = multipart({{"file", "link.json", R"({"type":"claude"})"}});
    auto one = s.call("POST", "/auth-files", body, headers);
    EXPECT_EQ(one.status, 404);
    EXPECT_EQ(one.body, R"({"error":"auth file not found"})");

    std::tie(body, headers) =
        multipart({{"file", "link.json", R"({"type":"claude"})"}, {"file", "ok.json", R"({"type":"claude"})"}});
    auto many = s.call("POST", "/auth-files", body, headers);
    EXPECT_EQ(many.status, 207);
    EXPECT_EQ(many.body,
              R"({"failed":[{"error":"auth file not found","name":"link.json"}],"files":["ok.json"],"status":"partial","uploaded":1})");

    EXPECT_TRUE(fs::is_symlink(s.auth / "link.json"));
    EXPECT_EQ(fs::read_symlink(s.auth / "link.json"), s.outside / "target.json");
    EXPECT_EQ(fileText(s.outside / "target.json"), "OUTSIDE");
    EXPECT_EQ(listedNames(s), std::vector<std::string>{"ok.json"});
    // No temp file of the refused writes is left behind.
    for (const auto& e : fs::directory_iterator(s.auth)) {
        EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
    }
}

// kill -9 during a write leaves ".<name>.tmp-<pid>-<n>-<random>" files with
// credential contents; the next start removes them, and only them.
TEST(OAuthFilesStartup, StaleWriteTempFilesAreRemoved) {
    OAuthServer s("", false);
    const std::string dead = "99999999";  // above any pid_max: no such process
    s.put("a.json", R"({"type":"claude"})");
    s.put(".a.json.tmp-" + dead + "-0-12345", R"({"type":"claude","token":"secret"})");
    s.put(".b.json.tmp-" + dead + "-3-777", "{\"partial");
    // Look-alikes that are not ours.
    s.put(".a.json.tmp-notapid", "keep");
    s.put("c.json.tmp-" + dead + "-0-1", "keep");
    s.put(".a.json.tmp-" + dead + "-0-1.bak", "keep");
    fs::create_directory(s.auth / (".d.json.tmp-" + dead + "-0-1"));
    // A symlink named like a temp file: removed neither it nor (never followed) its target.
    OAuthServer::write(s.outside / "victim.json", "VICTIM");
    fs::create_symlink(s.outside / "victim.json", s.auth / (".e.json.tmp-" + dead + "-0-1"));
    // A temp file of a live writer (this test process) is still being written.
    const std::string live = ".f.json.tmp-" + std::to_string(::getpid()) + "-0-1";
    s.put(live, "in progress");

    s.start();
    EXPECT_FALSE(fs::exists(s.auth / (".a.json.tmp-" + dead + "-0-12345")));
    EXPECT_FALSE(fs::exists(s.auth / (".b.json.tmp-" + dead + "-3-777")));
    EXPECT_TRUE(fs::exists(s.auth / "a.json"));
    EXPECT_EQ(fileText(s.auth / ".a.json.tmp-notapid"), "keep");
    EXPECT_EQ(fileText(s.auth / ("c.json.tmp-" + dead + "-0-1")), "keep");
    EXPECT_EQ(fileText(s.auth / (".a.json.tmp-" + dead + "-0-1.bak")), "keep");
    EXPECT_TRUE(fs::is_directory(s.auth / (".d.json.tmp-" + dead + "-0-1")));
    EXPECT_TRUE(fs::is_symlink(s.auth / (".e.json.tmp-" + dead + "-0-1")));
    EXPECT_EQ(fileText(s.outside / "victim.json"), "VICTIM");
    EXPECT_EQ(fileText(s.auth / live), "in progress");
    EXPECT_EQ(listedNames(s), std::vector<std::string>{"a.json"});
}
