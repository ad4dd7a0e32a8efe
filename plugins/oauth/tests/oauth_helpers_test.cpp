// Pure pieces: proxy precedence, time text, the model catalogue, listing entries.
#include "auth_file_entry.hpp"
#include "model_catalogue.hpp"
#include "proxy_choice.hpp"
#include "time_values.hpp"
#include "upstream_client.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

#include <cstdlib>

using namespace cpa;
using namespace cpa::oauth;

TEST(ProxyChoice, PrecedenceDirectAndInvalid) {
    auto p = chooseProxy({"", "http://u:pw@127.0.0.1:3128", "socks5://h:1080"});
    ASSERT_TRUE(p);
    EXPECT_EQ(p->scheme, "http");
    EXPECT_EQ(p->host, "127.0.0.1");
    EXPECT_EQ(p->port, 3128);
    EXPECT_EQ(p->user, "u");
    EXPECT_EQ(p->password, "pw");
    EXPECT_FALSE(chooseProxy({"DIRECT", "http://h:1"}));  // direct wins, stops the search
    EXPECT_FALSE(chooseProxy({" none ", "http://h:1"}));
    p = chooseProxy({"bad-value", "ftp://h:1", "http://", "socks5h://proxy:9050"});
    ASSERT_TRUE(p);
    EXPECT_EQ(p->scheme, "socks5h");
    EXPECT_EQ(p->port, 9050);
    EXPECT_FALSE(chooseProxy({}));
}

TEST(TimeValues, LastRefreshForms) {
    EXPECT_EQ(parseLastRefreshNs("2026-05-01 04:00:03"), 1777608003000000000LL);
    EXPECT_EQ(parseLastRefreshNs("1777608003"), 1777608003000000000LL);
    EXPECT_FALSE(parseLastRefreshNs(""));
}

TEST(ModelCatalogue, ChannelsAndCodexBuiltin) {
    EXPECT_FALSE(catalogueModels("nope"));
    EXPECT_FALSE(catalogueModels(""));
    auto claude = catalogueModels("  Claude ");
    ASSERT_TRUE(claude);
    const auto& first = claude->asArray().front();
    EXPECT_EQ(first.asObject()[0].first, "id");
    EXPECT_EQ(first.asObject()[4].first, "type");
    auto codex = catalogueModels("codex");
    ASSERT_TRUE(codex);
    int images = 0;
    for (const auto& m : codex->asArray()) images += m.find("id")->asString() == "gpt-image-2";
    EXPECT_EQ(images, 1);
    EXPECT_EQ(codex->asArray().back().find("id")->asString(), "gpt-image-2");
}

TEST(AuthFileEntry, RecentRequestBucketsAndClaims) {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
    auto b = recentRequestBuckets(1777608003000000000LL);  // 04:00:03 → current bucket 04:00-04:10
    ASSERT_EQ(b.size(), 20u);
    EXPECT_EQ(b.asArray().back().find("time")->asString(), "04:00-04:10");
    EXPECT_EQ(b.asArray().front().find("time")->asString(), "00:50-01:00");
    EXPECT_TRUE(codexIdTokenClaims(sdk::Value::object({{"id_token", "not-a-jwt"}})).isNull());
    EXPECT_EQ(canonicalHeaderName("x-api-KEY"), "X-Api-Key");
}
