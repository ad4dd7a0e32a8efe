#include "http/access_log.hpp"
#include "http/query_string.hpp"

#include <gtest/gtest.h>

namespace cpa::core {
namespace {

using namespace std::chrono;

TEST(QueryString, Parse) {
    const auto q = parseQuery("a=1&b=%20x&c&&d=e=f&name+x=v+w");
    ASSERT_EQ(q.size(), 5u);
    EXPECT_EQ(q[0], (sdk::Header{"a", "1"}));
    EXPECT_EQ(q[1], (sdk::Header{"b", " x"}));
    EXPECT_EQ(q[2], (sdk::Header{"c", ""}));
    EXPECT_EQ(q[3], (sdk::Header{"d", "e=f"}));
    EXPECT_EQ(q[4], (sdk::Header{"name x", "v w"}));
    EXPECT_TRUE(parseQuery("").empty());
}

TEST(QueryString, Masking) {
    EXPECT_EQ(maskQuery("key=abc&model=gpt"), "key=***&model=gpt");
    EXPECT_EQ(maskQuery("api-key=1&token=2&access_token=3&secret=4&password=5&auth=6"),
              "api-key=***&token=***&access_token=***&secret=***&password=***&auth=***");
    EXPECT_EQ(maskQuery("KEY=abc&Api_Key=x&keys=1&monkey=2"), "KEY=***&Api_Key=***&keys=1&monkey=2");
    EXPECT_EQ(maskQuery("key%5B%5D=a&key[]=b"), "key%5B%5D=***&key[]=***");
    EXPECT_EQ(maskQuery("page=2"), "page=2");
    EXPECT_EQ(maskQuery("token"), "token");  // no value, nothing to hide
    EXPECT_TRUE(isSensitiveQueryName("refresh_token"));
    EXPECT_FALSE(isSensitiveQueryName("model"));
}

TEST(AccessLog, Latency) {
    EXPECT_EQ(formatLatency(microseconds(512)), "512µs");
    EXPECT_EQ(formatLatency(nanoseconds(900)), "900ns");
    EXPECT_EQ(formatLatency(nanoseconds(0)), "0s");
    EXPECT_EQ(formatLatency(microseconds(12345)), "12ms");
    EXPECT_EQ(formatLatency(milliseconds(1234)), "1.234s");
    EXPECT_EQ(formatLatency(milliseconds(1200) + microseconds(999)), "1.2s");
    EXPECT_EQ(formatLatency(seconds(5)), "5s");
    EXPECT_EQ(formatLatency(seconds(123) + milliseconds(999)), "2m3s");
    EXPECT_EQ(formatLatency(hours(1) + seconds(5)), "1h0m5s");
}

TEST(AccessLog, LineFormat) {
    EXPECT_EQ(formatAccessLine(200, milliseconds(1234), "127.0.0.1", "POST", "/v1/chat/completions", ""),
              "200 |        1.234s |       127.0.0.1 | POST    \"/v1/chat/completions\"");
    // µ counts as one column, like Go's padding.
    EXPECT_EQ(formatAccessLine(404, microseconds(512), "::1", "GET", "/x", "key=secret&a=b"),
              "404 |         512µs |             ::1 | GET     \"/x?key=***&a=b\"");
    // Control characters never reach the log raw.
    EXPECT_EQ(formatAccessLine(200, milliseconds(1), "1.2.3.4", "GET", "/a\nb", ""),
              "200 |           1ms |         1.2.3.4 | GET     \"/a\\x0ab\"");
}

TEST(AccessLog, Levels) {
    EXPECT_EQ(accessLogLevel(200), sdk::LogLevel::Info);
    EXPECT_EQ(accessLogLevel(304), sdk::LogLevel::Info);
    EXPECT_EQ(accessLogLevel(404), sdk::LogLevel::Warning);
    EXPECT_EQ(accessLogLevel(500), sdk::LogLevel::Error);
}

TEST(AccessLog, JsonFieldsAreEscapedAndTheQueryMasked) {
    const std::string f = formatAccessFields(200, microseconds(1500), "::1", "POST", "/v1/\"x\"\n", "key=abcdef123456&a=1");
    EXPECT_EQ(f.rfind(R"("status":200,"latency_ms":1.500,)", 0), 0u) << f;
    EXPECT_NE(f.find(R"("client_ip":"::1","method":"POST","path":"/v1/\"x\"\n?)"), std::string::npos) << f;
    EXPECT_EQ(f.find("abcdef123456"), std::string::npos) << "the query is masked as in the text line";
}

}  // namespace
}  // namespace cpa::core
