// The byte-level JSON helpers of the request path (src/json/json_scan.*).
#include "json/json_scan.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

namespace cpa::proxy::testing {
namespace {

std::optional<std::string> modelOf(const std::string& body) {
    static constexpr std::string_view key = "model";
    JsonMember m;
    if (!scanJsonObject(body, &key, &m, 1) || !m.found()) return std::nullopt;
    return jsonStringValue(std::string_view(body).substr(m.valueBegin, m.valueEnd - m.valueBegin));
}

TEST(JsonScan, FindsTopLevelMembersOnly) {
    const std::string body = R"( {"a":{"model":"inner"},"model" : "gpt-4o" , "stream":true} )";
    static constexpr std::string_view keys[] = {"model", "stream", "absent"};
    JsonMember m[3];
    ASSERT_TRUE(scanJsonObject(body, keys, m, 3));
    EXPECT_EQ(body.substr(m[0].valueBegin, m[0].valueEnd - m[0].valueBegin), R"("gpt-4o")");
    EXPECT_EQ(body.substr(m[1].valueBegin, m[1].valueEnd - m[1].valueBegin), "true");
    EXPECT_FALSE(m[2].found());
    EXPECT_EQ(modelOf(R"({"model":"a\u00e9\"b"})"), "a\xc3\xa9\"b");
    EXPECT_EQ(modelOf(R"({"model":12})"), std::nullopt);
}

TEST(JsonScan, RejectsWhatTheParserRejects) {
    for (const std::string bad :
         {"", "[]", R"("s")", "{", R"({"model":"x"} x)", R"({"model":"x",})", R"({"a":01})", R"({"a":1.})",
          R"({"a":"\q"})", "{\"a\":\"\x01\"}", R"({"a":tru})", R"({"a":[1,]})", R"({"a" 1})", R"({"a":"\u12"})",
          R"({"a":-})", R"({a:1})"}) {
        JsonMember m;
        static constexpr std::string_view key = "a";
        EXPECT_FALSE(scanJsonObject(bad, &key, &m, 1)) << bad;
        EXPECT_THROW(cpa::sdk::parseJson(bad.empty() ? std::string("") : bad).asObject(), std::exception) << bad;
    }
    std::string deep(600, '[');
    deep = "{\"a\":" + deep + std::string(600, ']') + "}";
    JsonMember m;
    static constexpr std::string_view key = "a";
    EXPECT_FALSE(scanJsonObject(deep, &key, &m, 1));  // deeper than the parser's 512 levels
    EXPECT_TRUE(scanJsonObject(R"({"a":[{"b":[-0.5e+3,true,false,null,"\ud83d"]}]})", &key, &m, 1));
}

TEST(JsonScan, SetMemberKeepsEveryOtherByte) {
    const std::string body = "{ \"messages\":[{\"content\":\"<b>&\"}],\n  \"model\" :\t\"old\", \"n\":1e3 }";
    EXPECT_EQ(setTopLevelMember(body, "model", jsonQuote("new<")),
              "{ \"messages\":[{\"content\":\"<b>&\"}],\n  \"model\" :\t\"new\\u003c\", \"n\":1e3 }");
    EXPECT_EQ(setTopLevelMember(R"({"a":1 })", "model", R"("m")"), R"({"a":1,"model":"m" })");
    EXPECT_EQ(setTopLevelMember(" { } ", "model", R"("m")"), R"( {"model":"m" } )");
    EXPECT_EQ(setTopLevelMember(R"({"model":"a","model":"b"})", "model", R"("m")"), std::nullopt);  // parser decides
    EXPECT_EQ(setTopLevelMember("not json", "model", R"("m")"), std::nullopt);
}

}  // namespace
}  // namespace cpa::proxy::testing
