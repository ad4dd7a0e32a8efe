#include "config/config_parse.hpp"
#include "config/yaml_value.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace cpa::core {
namespace {

using sdk::Value;

Value parseOne(const std::string& scalarText) {
    return parseConfigYaml("v: " + scalarText + "\n").root.asObject().at(0).second;
}

TEST(YamlValue, PlainScalarsFollowTheCoreSchema) {
    for (const char* s : {"", "~", "null", "Null", "NULL"}) EXPECT_TRUE(parseOne(s).isNull()) << s;
    for (const char* s : {"true", "True", "TRUE"}) EXPECT_EQ(parseOne(s), Value(true)) << s;
    for (const char* s : {"false", "False", "FALSE"}) EXPECT_EQ(parseOne(s), Value(false)) << s;
    EXPECT_EQ(parseOne("8317"), Value(8317));
    EXPECT_EQ(parseOne("-12"), Value(-12));
    EXPECT_EQ(parseOne("+7"), Value(7));
    EXPECT_EQ(parseOne("0x1F"), Value(31));
    EXPECT_EQ(parseOne("0o17"), Value(15));
    EXPECT_EQ(parseOne("1.5"), Value(1.5));
    EXPECT_EQ(parseOne("-2.5e3"), Value(-2500.0));
    EXPECT_EQ(parseOne(".5"), Value(0.5));
    EXPECT_EQ(parseOne("1e3"), Value(1000.0));
    EXPECT_TRUE(std::isinf(parseOne(".inf").asDouble()));
    EXPECT_LT(parseOne("-.Inf").asDouble(), 0);
    EXPECT_TRUE(std::isnan(parseOne(".NaN").asDouble()));
    // YAML 1.1 leftovers and near misses are plain strings in 1.2.
    for (const char* s : {"yes", "no", "on", "off", "y", "0b101", "1_000", "0x", "1.2.3", "12abc", "nulls", "tRue",
                          "localhost:8317", "~/.cli-proxy-api", ".", "-x", "0o8"}) {
        EXPECT_EQ(parseOne(s), Value(s)) << s;
    }
}

TEST(YamlValue, QuotedAndStrTaggedScalarsStayStrings) {
    EXPECT_EQ(parseOne("\"true\""), Value("true"));
    EXPECT_EQ(parseOne("'123'"), Value("123"));
    EXPECT_EQ(parseOne("\"\""), Value(""));
    EXPECT_EQ(parseOne("'null'"), Value("null"));
    EXPECT_EQ(parseOne("!!str 42"), Value("42"));
    EXPECT_EQ(parseOne("!!str true"), Value("true"));
}

TEST(YamlValue, MappingsKeepOrderAndAliasesResolve) {
    const auto p = parseConfigYaml("z: 1\na: &x [1, two]\nm: *x\n");
    const auto& o = p.root.asObject();
    ASSERT_EQ(o.size(), 3u);
    EXPECT_EQ(o[0].first, "z");
    EXPECT_EQ(o[1].first, "a");
    EXPECT_EQ(o[2].first, "m");
    EXPECT_EQ(o[2].second, (Value(Value::Array{Value(1), Value("two")})));
    EXPECT_EQ(p.lines.at("m"), 3);
    EXPECT_EQ(p.lines.at("a[1]"), 2);
}

TEST(YamlValue, HugeIntegersDoNotWrapAround) {
    EXPECT_TRUE(parseOne("99999999999999999999").isDouble());
    EXPECT_EQ(parseOne("0xFFFFFFFFFFFFFFFFFF"), Value("0xFFFFFFFFFFFFFFFFFF"));
}

TEST(YamlValue, StringsThatLookLikeOtherTypesAreQuotedAndRoundTrip) {
    const std::vector<std::string> tricky = {
        "true", "False", "123", "-1", "0x10", "1.5", ".inf", ".nan", "", "null", "~", " lead", "trail ", "a: b",
        "x #y", "#c", "- item", "[a]", "{a}", "*ref", "&anchor", "!tag", "|", ">", "'q'", "\"dq\"", "%", "@", "`",
        "multi\nline", "tab\there", "ends:", "?", ":", "<<", "---", "...", "ünïcödé", "plain words"};
    for (const auto& s : tricky) {
        Value root = Value::object({{"k", Value(s)}});
        const std::string text = emitKeyBlock("k", Value(s));
        Value back;
        ASSERT_NO_THROW(back = parseConfigYaml(text).root) << text;
        EXPECT_TRUE(sameValue(back, root)) << "[" << s << "] emitted as " << text;
    }
    EXPECT_TRUE(needsQuoting("true"));
    EXPECT_TRUE(needsQuoting("123"));
    EXPECT_TRUE(needsQuoting(""));
    EXPECT_FALSE(needsQuoting("round-robin"));
}

TEST(YamlValue, EmissionUsesBlockStyleAndEmptyCollectionsInline) {
    Value v = Value::object({{"list", Value(Value::Array{Value("a"), Value(2)})},
                             {"empty-list", Value::array()},
                             {"empty-map", Value::object()},
                             {"n", Value()},
                             {"d", Value(1.0)}});
    EXPECT_EQ(emitKeyBlock("top", v),
              "top:\n  list:\n    - a\n    - 2\n  empty-list: []\n  empty-map: {}\n  n: ~\n  d: 1.0\n");
    EXPECT_EQ(emitKeyBlock("e", Value::array()), "e: []\n");
}

TEST(YamlValue, NumbersRoundTripWithTheirType) {
    for (double d : {1.0, 0.1, -0.0, 1e300, 5e-324, std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}) {
        const Value back = parseConfigYaml(emitKeyBlock("d", Value(d))).root.asObject().at(0).second;
        ASSERT_TRUE(back.isDouble()) << formatDouble(d);
        EXPECT_TRUE(sameValue(back, Value(d))) << formatDouble(d);
    }
    const Value big = parseConfigYaml(emitKeyBlock("i", Value(std::numeric_limits<long long>::min()))).root;
    EXPECT_EQ(big.asObject().at(0).second, Value(std::numeric_limits<long long>::min()));
}

TEST(YamlValue, SameValueIgnoresMemberOrderButNotContent) {
    const Value a = Value::object({{"x", Value(1)}, {"y", Value(2)}});
    const Value b = Value::object({{"y", Value(2)}, {"x", Value(1)}});
    const Value c = Value::object({{"y", Value(2)}, {"x", Value("1")}});
    EXPECT_TRUE(sameValue(a, b));
    EXPECT_FALSE(sameValue(a, c));
    EXPECT_FALSE(sameValue(Value(1), Value(1.0)));
}

TEST(YamlValue, DuplicateKeysAreRejectedWithTheirLine) {
    try {
        parseConfigYaml("a: 1\nb: 2\na: 3\n");
        FAIL() << "expected an error";
    } catch (const ConfigTextError& e) {
        EXPECT_NE(std::string(e.what()).find("line 3, column 1"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace cpa::core
