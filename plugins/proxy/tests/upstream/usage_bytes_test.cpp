// usageFromOpenAIJson (the byte path of non-stream usage) agrees with the
// parser-based usageFromOpenAI, or declines so the caller parses.
#include "upstream/usage.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

namespace cpa::proxy::upstream {
namespace {

void expectSame(const std::string& usage) {
    SCOPED_TRACE(usage);
    const auto fast = usageFromOpenAIJson(usage);
    ASSERT_TRUE(fast.has_value());
    const TokenUsage slow = usageFromOpenAI(cpa::sdk::parseJson(usage));
    EXPECT_EQ(fast->present, slow.present);
    EXPECT_EQ(fast->input, slow.input);
    EXPECT_EQ(fast->output, slow.output);
    EXPECT_EQ(fast->reasoning, slow.reasoning);
    EXPECT_EQ(fast->cached, slow.cached);
    EXPECT_EQ(fast->total, slow.total);
}

TEST(UsageBytes, AgreesWithTheParser) {
    expectSame(R"({"prompt_tokens":5,"completion_tokens":7,"total_tokens":12})");
    expectSame(R"({"prompt_tokens":5,"completion_tokens":7})");  // total derived
    expectSame(R"({"input_tokens":3,"output_tokens":4,"input_tokens_details":{"cached_tokens":2},
                   "output_tokens_details":{"reasoning_tokens":1}})");
    expectSame(R"({"prompt_tokens":9,"input_tokens":100,"completion_tokens":1,"output_tokens":100,
                   "prompt_tokens_details":{"cached_tokens":4},"input_tokens_details":{"cached_tokens":50},
                   "completion_tokens_details":{"reasoning_tokens":2,"x":[1,{"y":null}]}})");
    expectSame(R"({"prompt_tokens":"5","completion_tokens":null,"total_tokens":true})");  // non-numbers count 0
    expectSame(R"({"prompt_tokens_details":null,"completion_tokens_details":[1]})");
    expectSame(R"({"prompt_tokens":-3,"total_tokens":9223372036854775807})");
    expectSame(R"({})");
    expectSame(R"( { "prompt_tokens" : 5 , "other" : {"prompt_tokens":99} } )");
}

TEST(UsageBytes, DeclinesWhatNeedsTheParser) {
    EXPECT_FALSE(usageFromOpenAIJson(R"({"prompt_tokens":1.5})"));                 // a double
    EXPECT_FALSE(usageFromOpenAIJson(R"({"prompt_tokens":1e3})"));
    EXPECT_FALSE(usageFromOpenAIJson(R"({"prompt_tokens":99999999999999999999})"));  // beyond int64
    EXPECT_FALSE(usageFromOpenAIJson(R"({"prompt_tokens":1,"prompt_tokens":2})"));   // duplicate
    EXPECT_FALSE(usageFromOpenAIJson(R"({"prompt_tokens_details":{"cached_tokens":1,"cached_tokens":2}})"));
    EXPECT_FALSE(usageFromOpenAIJson(R"({"prompt\u005ftokens":1})"));               // escaped key
    EXPECT_FALSE(usageFromOpenAIJson(R"({"prompt_tokens":1)"));                     // not JSON
}

}  // namespace
}  // namespace cpa::proxy::upstream
