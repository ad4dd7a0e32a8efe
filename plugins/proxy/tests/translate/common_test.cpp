#include "translate/common.hpp"

#include <gtest/gtest.h>

#include <set>

namespace cpa::proxy::translate {
namespace {

TEST(TranslateCommon, RandomIdsHaveThePrefixTheLengthAndTheAlphabet) {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const std::string id = randomId("toolu_");
        ASSERT_EQ(id.size(), 6u + 24u);
        EXPECT_EQ(id.rfind("toolu_", 0), 0u);
        for (char c : id.substr(6)) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << id;
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 200u);
}

TEST(TranslateCommon, DataUrlsRoundTripAndOthersAreRefused) {
    const auto d = parseDataUrl("data:image/png;base64,AAAA");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->mimeType, "image/png");
    EXPECT_EQ(d->data, "AAAA");
    EXPECT_EQ(makeDataUrl(d->mimeType, d->data), "data:image/png;base64,AAAA");
    EXPECT_FALSE(parseDataUrl("https://example.com/a.png"));
    EXPECT_FALSE(parseDataUrl("data:text/plain,hello"));
    EXPECT_EQ(parseDataUrl("data:;base64,QQ==")->mimeType, "application/octet-stream");
}

TEST(TranslateCommon, LevelsAndBudgetsFollowTheTables) {
    EXPECT_EQ(levelToBudget("none"), 0);
    EXPECT_EQ(levelToBudget("auto"), -1);
    EXPECT_EQ(levelToBudget("minimal"), 512);
    EXPECT_EQ(levelToBudget("low"), 1024);
    EXPECT_EQ(levelToBudget("medium"), 8192);
    EXPECT_EQ(levelToBudget("high"), 24576);
    EXPECT_EQ(levelToBudget("xhigh"), 32768);
    EXPECT_EQ(levelToBudget("max"), 128000);
    EXPECT_FALSE(levelToBudget("extreme"));
    EXPECT_EQ(budgetToLevel(-2), "");
    EXPECT_EQ(budgetToLevel(-1), "auto");
    EXPECT_EQ(budgetToLevel(0), "none");
    EXPECT_EQ(budgetToLevel(1), "minimal");
    EXPECT_EQ(budgetToLevel(512), "minimal");
    EXPECT_EQ(budgetToLevel(513), "low");
    EXPECT_EQ(budgetToLevel(8192), "medium");
    EXPECT_EQ(budgetToLevel(8193), "high");
    EXPECT_EQ(budgetToLevel(24577), "xhigh");
}

TEST(TranslateCommon, ArgumentsThatAreNotAnObjectBecomeEmpty) {
    EXPECT_TRUE(argumentsObject(R"({"a":1})").isObject());
    EXPECT_EQ(argumentsObject(R"({"a":1})").find("a")->asInt(), 1);
    EXPECT_EQ(argumentsObject("").size(), 0u);
    EXPECT_EQ(argumentsObject("[1]").size(), 0u);
    EXPECT_EQ(argumentsObject("{broken").size(), 0u);
}

TEST(TranslateCommon, ErrorKindsFollowTheStatus) {
    EXPECT_EQ(errorKindForStatus(400), "invalid_request");
    EXPECT_EQ(errorKindForStatus(401), "authentication");
    EXPECT_EQ(errorKindForStatus(403), "permission");
    EXPECT_EQ(errorKindForStatus(404), "not_found");
    EXPECT_EQ(errorKindForStatus(429), "rate_limit");
    EXPECT_EQ(errorKindForStatus(529), "overloaded");
    EXPECT_EQ(errorKindForStatus(500), "server");
    EXPECT_EQ(errorKindOf(ErrorInfo{500, "x", "rate_limit"}), "rate_limit");
}

}  // namespace
}  // namespace cpa::proxy::translate
