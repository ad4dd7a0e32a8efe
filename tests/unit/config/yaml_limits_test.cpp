// parseConfigYaml's resource limits: refused on the event stream, before a
// tree exists, with a message naming the limit.
#include "config/config_parse.hpp"

#include "yaml_bomb.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cpa::core {
namespace {

using cpa::test::aliasBomb;

std::string errorOf(const std::string& text, const YamlLimits& limits = {}) {
    try {
        parseConfigYaml(text, limits);
    } catch (const ConfigTextError& e) {
        return e.what();
    }
    return "<accepted>";
}

TEST(YamlLimits, AnAliasBombIsRefusedNamingTheAliasLimit) {
    for (int levels : {5, 8, 30}) {
        const std::string text = aliasBomb(levels);
        EXPECT_LT(text.size(), 2100u);
        const std::string e = errorOf(text);
        EXPECT_NE(e.find("alias expansion limit"), std::string::npos) << levels << ": " << e;
    }
}

TEST(YamlLimits, ModestAliasesAreAccepted) {
    const auto parsed = parseConfigYaml(aliasBomb(2));  // 100 scalars
    EXPECT_EQ(parsed.root.find("bomb2")->asArray().size(), 10u);
    EXPECT_EQ(parsed.root.find("bomb2")->asArray()[0].asArray().size(), 10u);
}

TEST(YamlLimits, TooManyNodesAreRefusedNamingTheNodeLimit) {
    std::string text = "big:\n";
    for (int i = 0; i < 1000; ++i) text += "  - " + std::to_string(i) + "\n";
    YamlLimits limits;
    limits.maxNodes = 500;
    const std::string e = errorOf(text, limits);
    EXPECT_NE(e.find("node limit"), std::string::npos) << e;
    EXPECT_EQ(e.rfind("line ", 0), 0u) << "names where the limit was crossed: " << e;
    limits.maxNodes = 1100;
    EXPECT_EQ(errorOf(text, limits), "<accepted>");
}

TEST(YamlLimits, ALargerDocumentIsRefusedNamingTheSizeLimit) {
    YamlLimits limits;
    limits.maxBytes = 64;
    const std::string e = errorOf("note: \"" + std::string(100, 'x') + "\"\n", limits);
    EXPECT_NE(e.find("size limit"), std::string::npos) << e;
}

TEST(YamlLimits, SyntaxErrorsStillNameLineAndColumn) {
    EXPECT_EQ(errorOf("a: 1\nb: [unclosed\n").rfind("line ", 0), 0u);
}

TEST(YamlLimits, TheStoresOwnRenderingIsCheckedOnItsValue) {
    sdk::Value root = sdk::Value::object();
    sdk::Value list = sdk::Value::array();
    for (int i = 0; i < 100; ++i) list.push(sdk::Value(static_cast<std::int64_t>(i)));
    root.set("big", list);
    std::string text = "big:\n";
    for (int i = 0; i < 100; ++i) text += "  - " + std::to_string(i) + "\n";
    YamlLimits limits;
    limits.maxNodes = 50;
    try {
        parseRenderedConfigYaml(text, root, limits);
        FAIL() << "accepted";
    } catch (const ConfigTextError& e) {
        EXPECT_NE(std::string(e.what()).find("node limit"), std::string::npos) << e.what();
    }
    limits.maxNodes = 200;
    EXPECT_EQ(parseRenderedConfigYaml(text, root, limits).root.find("big")->asArray().size(), 100u);
}

}  // namespace
}  // namespace cpa::core
