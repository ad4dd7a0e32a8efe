// The credential store: load, upload, rewrite, remove, the watcher, and the
// service the module provides.
#include "file_credential_store.hpp"
#include "oauth_module.hpp"

#include <cpa/sdk/credential_identity.hpp>
#include <cpa/sdk/credential_sources.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fake_context.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;
using namespace cpa;
using namespace std::chrono_literals;

namespace {

struct TempAuthDir {
    fs::path path;
    TempAuthDir() {
        path = fs::temp_directory_path() / ("cpa-oauth-store-" + std::to_string(::getpid()) + "-" +
                                            std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        fs::create_directories(path);
    }
    ~TempAuthDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

void writeText(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }
std::string readText(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST(CredentialStore, LoadsTypedJsonFilesOnly) {
    TempAuthDir d;
    writeText(d.path / "alpha.json", R"({"type":"Claude","email":"a@x.com"})");
    writeText(d.path / "gem.json", R"({"type":"gemini","project_id":"p1"})");
    writeText(d.path / "untyped.json", R"({"email":"u@x.com"})");
    writeText(d.path / "broken.json", "{not json");
    writeText(d.path / "off.json", R"({"type":"codex","disabled":true})");
    sdk::testing::FakeLogger log;
    oauth::FileCredentialStore store(d.path, log);
    store.load();
    auto all = store.list();
    ASSERT_EQ(all.size(), 3u);
    auto a = store.findByName("alpha.json");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->provider, "claude");
    EXPECT_EQ(a->label, "a@x.com");
    EXPECT_EQ(a->authIndex, sdk::fileAuthIndex("alpha.json"));
    EXPECT_EQ(a->path, d.path / "alpha.json");
    EXPECT_EQ(store.findByAuthIndex(sdk::fileAuthIndex("alpha.json")), a);
    EXPECT_EQ(store.findByName("gem.json")->provider, "gemini-cli");
    EXPECT_EQ(store.findByName("gem.json")->label, "p1");
    EXPECT_TRUE(store.findByName("off.json")->disabled);
    EXPECT_EQ(store.findByName("off.json")->status, "disabled");
}

TEST(CredentialStore, SaveWritesAtomically0600AndRejectsBadNames) {
    TempAuthDir d;
    sdk::testing::FakeLogger log;
    oauth::FileCredentialStore store(d.path, log);
    store.load();
    int notified = 0;
    auto sub = store.subscribe([&] { ++notified; });
    auto rec = store.save("claude-a@x.com.json", sdk::Value::object({{"type", "claude"}, {"email", "a@x.com"}}));
    ASSERT_TRUE(rec);
    EXPECT_EQ(notified, 1);
    struct stat st {};
    ASSERT_EQ(::stat((d.path / "claude-a@x.com.json").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(readText(d.path / "claude-a@x.com.json"), "{\"type\":\"claude\",\"email\":\"a@x.com\"}\n");
    EXPECT_EQ(store.findByName("claude-a@x.com.json"), rec);

    store.saveBytes("kimi.json", "{\n  \"type\": \"kimi\"\n}\n");
    EXPECT_EQ(readText(d.path / "kimi.json"), "{\n  \"type\": \"kimi\"\n}\n");

    for (const char* bad : {"../x.json", "a/b.json", "", " x.json"}) {
        try {
            store.save(bad, sdk::Value::object({{"type", "x"}}));
            ADD_FAILURE() << bad;
        } catch (const sdk::HttpError& e) {
            EXPECT_EQ(e.status(), 400) << bad;
        }
    }
    try {
        store.saveBytes("bad.json", "[1,2]");
        ADD_FAILURE();
    } catch (const sdk::HttpError& e) {
        EXPECT_EQ(e.status(), 400);
    }
    EXPECT_FALSE(fs::exists(d.path / "bad.json"));
    EXPECT_FALSE(fs::exists(d.path.parent_path() / "x.json"));
}

TEST(CredentialStore, UploadKeepsBytesAndRegistersUntypedAsUnknown) {
    TempAuthDir d;
    sdk::testing::FakeLogger log;
    oauth::FileCredentialStore store(d.path, log);
    store.load();
    const std::string bytes = "{ \"email\" : \"u@x.com\" }";
    auto rec = store.writeUploaded("u.json", bytes);
    EXPECT_EQ(readText(d.path / "u.json"), bytes);
    EXPECT_EQ(rec->provider, "unknown");
    EXPECT_EQ(rec->label, "u@x.com");
    store.rescan();  // the watcher's view keeps an uploaded untyped file
    EXPECT_TRUE(store.findByName("u.json"));
    EXPECT_THROW(store.writeUploaded("u.json", "{oops"), std::invalid_argument);
    EXPECT_EQ(readText(d.path / "u.json"), bytes);
}

TEST(CredentialStore, RewriteSortsKeysAndKeepsStatusMessage) {
    TempAuthDir d;
    writeText(d.path / "c.json", R"({"type":"codex","email":"c@x.com"})");
    sdk::testing::FakeLogger log;
    oauth::FileCredentialStore store(d.path, log);
    store.load();
    sdk::Value meta = store.record("c.json")->metadata;
    meta.set("disabled", true);
    auto rec = store.rewrite("c.json", meta, "disabled via management API");
    ASSERT_TRUE(rec);
    EXPECT_TRUE(rec->disabled);
    EXPECT_EQ(rec->statusMessage, "disabled via management API");
    EXPECT_EQ(readText(d.path / "c.json"), "{\"disabled\":true,\"email\":\"c@x.com\",\"type\":\"codex\"}\n");
    store.rescan();
    EXPECT_EQ(store.record("c.json")->statusMessage, "disabled via management API");
}

TEST(CredentialStore, WatcherPicksUpFilesDroppedInAndRemoved) {
    TempAuthDir d;
    sdk::testing::FakeLogger log;
    oauth::FileCredentialStore store(d.path, log);
    store.load();
    store.startWatching();
    writeText(d.path / "dropped.json", R"({"type":"kimi"})");
    auto waitFor = [&](bool present) {
        for (int i = 0; i < 100; ++i) {
            if (static_cast<bool>(store.findByName("dropped.json")) == present) return true;
            std::this_thread::sleep_for(20ms);
        }
        return false;
    };
    EXPECT_TRUE(waitFor(true));
    fs::remove(d.path / "dropped.json");
    EXPECT_TRUE(waitFor(false));
    store.stopWatching();
}

TEST(OAuthModule, ProvidesTheCredentialStoreService) {
    TempAuthDir d;
    writeText(d.path / "alpha.json", R"({"type":"claude"})");
    sdk::testing::FakeContext ctx;
    ctx.mutablePaths().authDir = d.path.string();
    oauth::OAuthModule module;
    module.configure(ctx);
    auto svc = ctx.services().get(sdk::kCredentialStoreService);
    ASSERT_TRUE(svc);
    EXPECT_EQ(svc->authDir(), d.path);
    ASSERT_EQ(svc->list().size(), 1u);
    module.stop();
}

TEST(OAuthModule, ContributesEnabledFilesWithAnExecutorKindPerTypeAndFollowsChanges) {
    TempAuthDir d;
    writeText(d.path / "alpha.json", R"({"type":"claude","email":"a@x","proxy_url":"socks5://p:1","prefix":"/t/"})");
    writeText(d.path / "beta.json", R"({"type":"gemini","disabled":true})");
    sdk::testing::FakeContext ctx;
    ctx.mutablePaths().authDir = d.path.string();
    oauth::OAuthModule module;
    module.configure(ctx);
    const auto sources = ctx.services().get(sdk::kCredentialSourcesService);
    auto set = sources->snapshot();
    ASSERT_EQ(set->size(), 1u) << "a disabled file is not contributed";
    const sdk::ContributedCredential& c = set->front();
    EXPECT_EQ(c.id, "alpha.json");
    EXPECT_EQ(c.authIndex, sdk::fileAuthIndex("alpha.json"));
    EXPECT_EQ(c.provider, "claude");
    EXPECT_EQ(c.wire, "oauth:claude");
    EXPECT_EQ(c.family, "auth-file");
    EXPECT_EQ(c.proxyUrl, "socks5://p:1");
    EXPECT_EQ(c.prefix, "t");

    module.store()->save("gamma.json", sdk::parseJson(R"({"type":"codex"})"));
    set = sources->snapshot();
    ASSERT_EQ(set->size(), 2u) << "a saved file is contributed at once";
    EXPECT_EQ((*set)[1].wire, "oauth:codex");
    module.stop();
}
