#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using cpa::sdk::parseJson;
using cpa::sdk::toJson;
using cpa::sdk::Value;

TEST(JsonWrite, CompactByDefaultKeepingMemberOrder) {
    const Value v = Value::object({{"z", 1}, {"a", Value(Value::Array{true, nullptr, "s"})}, {"m", Value::object()}});
    EXPECT_EQ(toJson(v), R"({"z":1,"a":[true,null,"s"],"m":{}})");
    EXPECT_EQ(toJson(Value::array()), "[]");
    EXPECT_EQ(toJson(Value()), "null");
}

TEST(JsonWrite, EscapesLikeGo) {
    EXPECT_EQ(toJson(Value("<a href='x'>&</a>")), R"("\u003ca href='x'\u003e\u0026\u003c/a\u003e")");
    EXPECT_EQ(toJson(Value("q\"b\\s/")), R"("q\"b\\s/")");
    EXPECT_EQ(toJson(Value("\n\r\t\b\f")), R"("\n\r\t\b\f")");
    EXPECT_EQ(toJson(Value(std::string("\x01\x1f\x7f", 3))), "\"\\u0001\\u001f\x7f\"");
    EXPECT_EQ(toJson(Value(std::string(1, '\0'))), R"("\u0000")");
    EXPECT_EQ(toJson(Value("\xE2\x80\xA8\xE2\x80\xA9")), R"("\u2028\u2029")");
    EXPECT_EQ(toJson(Value("caf\xC3\xA9 \xF0\x9F\x98\x80")), "\"caf\xC3\xA9 \xF0\x9F\x98\x80\"");
}

TEST(JsonWrite, InvalidUtf8IsReplaced) {
    EXPECT_EQ(toJson(Value("a\xFF" "b")), R"("a\ufffdb")");
    EXPECT_EQ(toJson(Value("\xE2\x82")), R"("\ufffd\ufffd")");
    // The output is always valid JSON that parses back.
    EXPECT_EQ(parseJson(toJson(Value("\xC0\xAF"))).asString(), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(JsonWrite, IntegersAndDoubles) {
    EXPECT_EQ(toJson(Value(0)), "0");
    EXPECT_EQ(toJson(Value(-42)), "-42");
    EXPECT_EQ(toJson(Value(std::numeric_limits<long long>::min())), "-9223372036854775808");
    EXPECT_EQ(toJson(Value(0.1)), "0.1");
    EXPECT_EQ(toJson(Value(1.5)), "1.5");
    EXPECT_EQ(toJson(Value(-2.25)), "-2.25");
    EXPECT_EQ(toJson(Value(1.0 / 3.0)), "0.3333333333333333");
    // Go writes whole floats without a fraction.
    EXPECT_EQ(toJson(Value(5.0)), "5");
    EXPECT_EQ(toJson(Value(1e20)), "100000000000000000000");
    EXPECT_EQ(toJson(Value(1e21)), "1e+21");
    EXPECT_EQ(toJson(Value(1.5e300)), "1.5e+300");
    EXPECT_EQ(toJson(Value(0.000001)), "0.000001");
    EXPECT_EQ(toJson(Value(0.0000001)), "1e-7");
    EXPECT_EQ(toJson(Value(1.25e-10)), "1.25e-10");
    EXPECT_EQ(toJson(Value(0.0)), "0");
    EXPECT_EQ(toJson(Value(-0.0)), "-0");
}

TEST(JsonWrite, NonFiniteDoublesBecomeNull) {
    EXPECT_EQ(toJson(Value(std::nan(""))), "null");
    EXPECT_EQ(toJson(Value(std::numeric_limits<double>::infinity())), "null");
    EXPECT_EQ(toJson(Value(-std::numeric_limits<double>::infinity())), "null");
}

TEST(JsonWrite, DoublesRoundTripExactly) {
    const double samples[] = {0.1, 2.0 / 3.0, 123456.789, 1e-300, 4.9e-324, 1.7976931348623157e308, 3.14159e-7,
                              -8.5e22, 1234567890123.4567};
    for (double d : samples) {
        const Value back = parseJson(toJson(Value(d)));
        EXPECT_EQ(back.asDouble(), d) << toJson(Value(d));
    }
}

TEST(JsonWrite, PrettyPrintWithIndent) {
    const Value v = Value::object({{"a", 1}, {"b", Value(Value::Array{1, Value::object({{"c", "d"}})})},
                                   {"e", Value::array()}, {"f", Value::object()}});
    EXPECT_EQ(toJson(v, 2),
              "{\n"
              "  \"a\": 1,\n"
              "  \"b\": [\n"
              "    1,\n"
              "    {\n"
              "      \"c\": \"d\"\n"
              "    }\n"
              "  ],\n"
              "  \"e\": [],\n"
              "  \"f\": {}\n"
              "}");
    EXPECT_EQ(toJson(Value(Value::Array{1, 2}), 4), "[\n    1,\n    2\n]");
    EXPECT_EQ(toJson(Value(7), 2), "7");
    EXPECT_EQ(toJson(v, -3), toJson(v));  // negative indent means compact
}

TEST(JsonRoundTrip, ParseThenWriteIsStable) {
    const char* docs[] = {
        R"({"a":1,"b":2.5,"c":"x","d":[true,false,null],"e":{"f":{}}})",
        R"([1,-1,0.5,"\u003c\u0026\u003e","\n\t",{"k":[]}])",
        R"("\ud83d\ude00")",
        R"({"big":9223372036854775807,"small":-9223372036854775808})",
    };
    for (const char* doc : docs) {
        const Value v = parseJson(doc);
        const std::string once = toJson(v);
        EXPECT_EQ(parseJson(once), v) << doc;
        EXPECT_EQ(toJson(parseJson(once)), once) << doc;
        EXPECT_EQ(parseJson(toJson(v, 2)), v) << doc;
    }
}

TEST(JsonRoundTrip, IntAndDoubleDistinction) {
    EXPECT_EQ(toJson(parseJson("5")), "5");
    EXPECT_TRUE(parseJson(toJson(Value(5))).isInt());
    EXPECT_TRUE(parseJson(toJson(Value(5.5))).isDouble());
    // A whole Double is written as Go writes it ("5") and so reads back as Int.
    EXPECT_TRUE(parseJson("5.0").isDouble());
    EXPECT_TRUE(parseJson(toJson(parseJson("5.0"))).isInt());
}
