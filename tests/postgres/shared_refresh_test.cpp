// An expired OAuth token shared by two instances is refreshed once: the
// refresh (at request time or by either instance's background loop) takes a
// lock across instances and the other instance then finds the new token
// (issue 26).
#include "fake_upstream.hpp"
#include "pg_store_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <vector>

namespace cpa::test::pgstore {
namespace {

using namespace std::chrono_literals;

std::string rfc3339In(std::int64_t seconds) {
    const std::time_t t = std::time(nullptr) + seconds;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string expiredClaudeFile() {
    return R"({"access_token":"sk-ant-oat-old","email":"a@example.com","expired":")" + rfc3339In(-60) +
           R"(","id_token":"","last_refresh":")" + rfc3339In(-3600) + R"(","refresh_token":"rt-1","type":"claude"})" +
           "\n";
}

TEST(PgSharedRefresh, AnExpiredTokenSharedByTwoInstancesIsRefreshedOnce) {
    FakeUpstream tokens;
    FakeUpstream claude;
    tokens.setHandler([](const UpstreamRequest&) {
        UpstreamReply r;
        r.firstByteDelay = 300ms;  // a refresh in flight while the other instance's requests arrive
        r.body = R"({"access_token":"sk-ant-oat-new","refresh_token":"rt-2","expires_in":28800,)"
                 R"("token_type":"Bearer","account":{"email_address":"a@example.com"}})";
        return r;
    });
    claude.setHandler([](const UpstreamRequest&) {
        UpstreamReply r;
        r.body = R"({"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text",)"
                 R"("text":"hello"}],"stop_reason":"end_turn","usage":{"input_tokens":7,"output_tokens":3}})";
        return r;
    });
    PgCluster pg;
    const std::string modules = "config, provider-keys, usage, oauth, proxy";
    const std::string extra = "auth-dir: \"auth\"\n"
                              "oauth-upstreams:\n  claude: \"" + claude.baseUrl() + "\"\n"
                              "oauth-login:\n  anthropic:\n    token-url: \"" + tokens.baseUrl() + "/v1/oauth/token\"\n";
    auto a = startInstance(pg, modules, extra);
    auto b = startInstance(pg, modules);
    const std::string file = expiredClaudeFile();  // once: it holds the time
    ASSERT_EQ(mgmt(a->port(), "POST", "/auth-files?name=claude-a.json", file).status, 200);
    // Expired, the file is due for the background loop at once (oauth-executors.md §2.1): b may
    // first see the upload or already the copy one instance refreshed.
    ASSERT_TRUE(eventually([&] {
        const std::string seen = readFile(b->dir() / "auth" / "claude-a.json");
        return seen == file || seen.find("sk-ant-oat-new") != std::string::npos;
    }, 5s));
    for (auto* s : {a.get(), b.get()}) {  // each data plane routes the credential
        ASSERT_TRUE(eventually([&] {
            return httpRequest(s->port(), "GET", "/v1/models", {{"Authorization", std::string("Bearer ") + kClientKey}})
                       .body.find("claude-sonnet-4-5-20250929") != std::string::npos;
        }, 5s));
    }

    std::atomic<int> ok{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < 16; ++i) {
        const std::uint16_t port = (i % 2 == 0 ? a : b)->port();
        clients.emplace_back([port, &ok] {
            const auto r = httpRequest(port, "POST", "/v1/messages",
                                       {{"Authorization", std::string("Bearer ") + kClientKey},
                                        {"Content-Type", "application/json"}},
                                       R"({"model":"claude-sonnet-4-5-20250929","max_tokens":16,)"
                                       R"("messages":[{"role":"user","content":"hi"}]})");
            if (r.status == 200) {
                ++ok;
            } else {
                std::printf("port %u: %d %s\n", port, r.status, r.body.c_str());
            }
        });
    }
    for (auto& t : clients) t.join();
    EXPECT_EQ(ok.load(), 16);
    EXPECT_EQ(tokens.requestCount(), 1u) << "one refresh for both instances";
    for (const auto& sent : claude.requests()) EXPECT_EQ(sent.header("Authorization"), "Bearer sk-ant-oat-new");
    for (auto* s : {a.get(), b.get()}) {
        EXPECT_TRUE(eventually([&] {
            return readFile(s->dir() / "auth" / "claude-a.json").find("sk-ant-oat-new") != std::string::npos;
        }, 3s));
    }
}

}  // namespace
}  // namespace cpa::test::pgstore
