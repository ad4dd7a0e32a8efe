#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

using cpa::sdk::JsonError;
using cpa::sdk::JsonMode;
using cpa::sdk::parseJson;
using cpa::sdk::Value;

namespace {

std::string errorOf(std::string_view text, JsonMode mode = JsonMode::Document) {
    try {
        parseJson(text, mode);
    } catch (const JsonError& e) {
        return e.what();
    }
    return "<no error>";
}

}  // namespace

TEST(JsonParse, Scalars) {
    EXPECT_EQ(parseJson("null"), Value());
    EXPECT_EQ(parseJson("true"), Value(true));
    EXPECT_EQ(parseJson("false"), Value(false));
    EXPECT_EQ(parseJson("\"hi\""), Value("hi"));
    EXPECT_EQ(parseJson("  42 \n"), Value(42));
}

TEST(JsonParse, IntegersStayIntsAndEverythingElseIsDouble) {
    EXPECT_TRUE(parseJson("5").isInt());
    EXPECT_TRUE(parseJson("-5").isInt());
    EXPECT_TRUE(parseJson("0").isInt());
    EXPECT_TRUE(parseJson("-0").isInt());
    EXPECT_TRUE(parseJson("5.0").isDouble());
    EXPECT_TRUE(parseJson("5e0").isDouble());
    EXPECT_TRUE(parseJson("5E+2").isDouble());
    EXPECT_DOUBLE_EQ(parseJson("5E+2").asDouble(), 500.0);
    EXPECT_DOUBLE_EQ(parseJson("-1.25e-2").asDouble(), -0.0125);
    EXPECT_EQ(parseJson("9223372036854775807").asInt(), std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(parseJson("-9223372036854775808").asInt(), std::numeric_limits<std::int64_t>::min());
    // Beyond int64: a double.
    const Value big = parseJson("9223372036854775808");
    ASSERT_TRUE(big.isDouble());
    EXPECT_DOUBLE_EQ(big.asDouble(), 9223372036854775808.0);
    EXPECT_TRUE(parseJson("-9223372036854775809").isDouble());
}

TEST(JsonParse, ExtremeExponents) {
    const Value tiny = parseJson("1e-400");  // underflows to zero, like Go
    ASSERT_TRUE(tiny.isDouble());
    EXPECT_EQ(tiny.asDouble(), 0.0);
    EXPECT_THROW(parseJson("1e400"), JsonError);
    EXPECT_THROW(parseJson("-1e400"), JsonError);
    EXPECT_THROW(parseJson("1" + std::string(400, '0') + "e-10"), JsonError);
    EXPECT_EQ(parseJson("0." + std::string(400, '0') + "1").asDouble(), 0.0);
    EXPECT_EQ(parseJson("0e99999999999999999999").asDouble(), 0.0);
}

TEST(JsonParse, ContainersAndOrder) {
    const Value v = parseJson(R"({"z": [1, 2.5, "x", null, true, {}], "a": {"b": []}})");
    ASSERT_TRUE(v.isObject());
    ASSERT_EQ(v.asObject().size(), 2u);
    EXPECT_EQ(v.asObject()[0].first, "z");
    EXPECT_EQ(v.asObject()[1].first, "a");
    const auto& arr = v.find("z")->asArray();
    ASSERT_EQ(arr.size(), 6u);
    EXPECT_TRUE(arr[0].isInt());
    EXPECT_TRUE(arr[1].isDouble());
    EXPECT_TRUE(arr[3].isNull());
    EXPECT_TRUE(arr[5].isObject());
    EXPECT_TRUE(v.findPath("a.b")->isArray());
}

TEST(JsonParse, DuplicateKeysLastWinsAtFirstPosition) {
    const Value v = parseJson(R"({"a":1,"b":2,"a":3})");
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(v.asObject()[0].first, "a");
    EXPECT_EQ(v.asObject()[0].second, Value(3));
    EXPECT_EQ(v.asObject()[1].first, "b");
}

TEST(JsonParse, DuplicateKeysInLargeObjects) {
    // Past the indexing threshold the behaviour must be the same.
    std::string text = "{";
    for (int i = 0; i < 100; ++i) text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    text += "\"k5\":\"late\",\"k99\":\"last\",\"new\":1}";
    const Value v = parseJson(text);
    ASSERT_EQ(v.size(), 101u);
    EXPECT_EQ(v.asObject()[5].first, "k5");
    EXPECT_EQ(v.asObject()[5].second, Value("late"));
    EXPECT_EQ(v.asObject()[99].second, Value("last"));
    EXPECT_EQ(v.asObject()[100].first, "new");
}

TEST(JsonParse, Escapes) {
    EXPECT_EQ(parseJson(R"("a\"b\\c\/d\b\f\n\r\t")").asString(), "a\"b\\c/d\b\f\n\r\t");
    EXPECT_EQ(parseJson(R"("\u0041\u00e9\u20AC")").asString(), "A\xC3\xA9\xE2\x82\xAC");
    EXPECT_EQ(parseJson(R"("\u0000")").asString(), std::string(1, '\0'));
}

TEST(JsonParse, SurrogatePairsBecomeOneCodePoint) {
    EXPECT_EQ(parseJson(R"("\ud83d\ude00")").asString(), "\xF0\x9F\x98\x80");  // U+1F600
    EXPECT_EQ(parseJson(R"("\uD834\uDD1E")").asString(), "\xF0\x9D\x84\x9E");  // U+1D11E
}

TEST(JsonParse, LoneSurrogatesDecodeAsReplacementCharacter) {
    const std::string fffd = "\xEF\xBF\xBD";
    EXPECT_EQ(parseJson(R"("\ud800")").asString(), fffd);
    EXPECT_EQ(parseJson(R"("\udc00x")").asString(), fffd + "x");
    EXPECT_EQ(parseJson(R"("\ud800\u0041")").asString(), fffd + "A");
    EXPECT_EQ(parseJson(R"("\ud800\ud800\udc00")").asString(), fffd + "\xF0\x90\x80\x80");
}

TEST(JsonParse, InvalidUtf8InStringsBecomesReplacementCharacter) {
    const std::string fffd = "\xEF\xBF\xBD";
    EXPECT_EQ(parseJson("\"a\xFF" "b\"").asString(), "a" + fffd + "b");
    EXPECT_EQ(parseJson("\"\xC0\xAF\"").asString(), fffd + fffd);      // overlong '/'
    EXPECT_EQ(parseJson("\"\xED\xA0\x80\"").asString(), fffd + fffd + fffd);  // encoded surrogate
    EXPECT_EQ(parseJson("\"\xE2\x82\"").asString(), fffd + fffd);      // truncated sequence
    // Valid multi-byte text passes through untouched.
    EXPECT_EQ(parseJson("\"caf\xC3\xA9 \xF0\x9F\x98\x80\"").asString(), "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

TEST(JsonParse, ErrorMessagesNameOffsetAndExpectation) {
    EXPECT_EQ(errorOf(R"({"a" 1})"), "invalid JSON at offset 5: expected ':', got '1'");
    EXPECT_EQ(errorOf(""), "invalid JSON at offset 0: unexpected end of input");
    EXPECT_EQ(errorOf("[1,]"), "invalid JSON at offset 3: unexpected ']', expected a value");
    EXPECT_EQ(errorOf("1 2"), "invalid JSON at offset 2: unexpected data after top-level value");
}

TEST(JsonParse, MalformedInputsThrowJsonError) {
    const char* bad[] = {
        "",        " ",        "{",           "[",          "[1",        "[1,",        "{\"a\"",
        "{\"a\":", "{\"a\":1",  "{\"a\":1,}",  "{,}",        "{a:1}",     "{'a':1}",    "[1 2]",
        "\"abc",   "\"\\",      "\"\\x\"",     "\"\\u12\"",  "\"\\u12G4\"", "\"\\uZZZZ\"", "tru",
        "nul",     "falsy",     "True",        "NaN",        "-NaN",      "Infinity",   "-Infinity",
        "01",      "-01",       "00",          "1.",         ".5",        "-",          "+1",
        "1e",      "1e+",       "1.e5",        "0x10",       "[1,,2]",    "{\"a\"::1}", "\"tab\there\"",
        "\"nl\nhere\"", "/* c */ 1", "// c\n1", "\xEF\xBB\xBF{}", "[]]", "{}}", "\"a\" \"b\"",
    };
    for (const char* text : bad) {
        EXPECT_THROW(parseJson(text), JsonError) << "input: " << text;
    }
}

TEST(JsonParse, TruncationAtEveryOffsetNeverCrashes) {
    const std::string doc = R"({"a":[1,-2.5e3,"x\u00e9\ud83d\ude00",true,false,null,{"b":{}}],"c":"\"q\""})";
    ASSERT_NO_THROW(parseJson(doc));
    for (std::size_t n = 0; n < doc.size(); ++n) {
        EXPECT_THROW(parseJson(doc.substr(0, n)), JsonError) << "prefix length " << n;
    }
}

TEST(JsonParse, DeepNestingIsRefusedNotAStackOverflow) {
    EXPECT_THROW(parseJson(std::string(100000, '[')), JsonError);
    EXPECT_THROW(parseJson(std::string(100000, '[') + std::string(100000, ']')), JsonError);
    std::string objects;
    for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
    EXPECT_THROW(parseJson(objects), JsonError);
    const std::string msg = errorOf(std::string(100000, '['));
    EXPECT_NE(msg.find("nesting"), std::string::npos) << msg;
    // 512 levels are fine, 513 are not.
    EXPECT_NO_THROW(parseJson(std::string(512, '[') + std::string(512, ']')));
    EXPECT_THROW(parseJson(std::string(513, '[') + std::string(513, ']')), JsonError);
}

TEST(JsonParse, FirstValueModeIgnoresTrailingData) {
    EXPECT_EQ(parseJson(R"({"value":true} trailing garbage)", JsonMode::FirstValue),
              Value::object({{"value", true}}));
    EXPECT_EQ(parseJson(R"({"a":1}{"a":2})", JsonMode::FirstValue), Value::object({{"a", 1}}));
    EXPECT_EQ(parseJson("  [1]]]", JsonMode::FirstValue), Value(Value::Array{1}));
    EXPECT_EQ(parseJson("123abc", JsonMode::FirstValue), Value(123));
    EXPECT_THROW(parseJson(R"({"value":true} trailing)", JsonMode::Document), JsonError);
}

TEST(JsonParse, FirstValueModeStillRejectsBadOrMissingFirstValue) {
    EXPECT_THROW(parseJson("", JsonMode::FirstValue), JsonError);
    EXPECT_THROW(parseJson("   \n", JsonMode::FirstValue), JsonError);
    EXPECT_THROW(parseJson(R"({"value":tru})", JsonMode::FirstValue), JsonError);
    EXPECT_THROW(parseJson(R"({"value":true)", JsonMode::FirstValue), JsonError);
    EXPECT_THROW(parseJson("01", JsonMode::FirstValue), JsonError);
}

TEST(JsonParse, HostileBytesNeverCrash) {
    // A cheap deterministic fuzz: every byte pattern must parse or throw JsonError.
    std::uint32_t state = 12345;
    const std::string alphabet = "{}[]\":,\\u0123456789abcdefEe.+-tnrl \t\n\x80\xFF\xC3";
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        const int len = static_cast<int>(state % 40);
        for (int i = 0; i < len; ++i) {
            state = state * 1103515245u + 12345u;
            text += alphabet[(state >> 16) % alphabet.size()];
        }
        state = state * 1103515245u + 12345u;
        try {
            parseJson(text, round % 2 ? JsonMode::Document : JsonMode::FirstValue);
        } catch (const JsonError&) {
        }
    }
    SUCCEED();
}
