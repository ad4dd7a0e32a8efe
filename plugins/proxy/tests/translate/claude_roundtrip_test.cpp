// A Claude client's body decoded and encoded again for a Claude upstream
// keeps what the Messages API needs (claude_request_decode.cpp + encode).
#include "translate/codecs.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

namespace cpa::proxy::translate {
namespace {

using cpa::sdk::parseJson;

TEST(ClaudeRoundTrip, AToolLoopWithThinkingSurvives) {
    const auto body = parseJson(R"({"model":"claude-opus-4-1","max_tokens":16000,"stream":true,
        "system":[{"type":"text","text":"You are a coding agent."}],
        "thinking":{"type":"enabled","budget_tokens":4096},
        "tools":[{"name":"read_file","description":"Read a file","input_schema":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}},
                 {"type":"web_search_20250305","name":"web_search","max_uses":2}],
        "tool_choice":{"type":"auto","disable_parallel_tool_use":true},
        "stop_sequences":["<END>"],"temperature":1,"metadata":{"user_id":"u1"},
        "messages":[
          {"role":"user","content":"Open main.cpp"},
          {"role":"assistant","content":[{"type":"thinking","thinking":"I should read it.","signature":"EqQBsig"},
            {"type":"tool_use","id":"toolu_01","name":"read_file","input":{"path":"main.cpp"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"int main(){}"}]}]})");
    const Conversation c = claudeCodec().decodeRequest(body, "", false);
    Exchange ex;
    EncodeOptions o;
    o.upstreamModel = "claude-opus-4-1";
    o.stream = true;
    const auto out = claudeCodec().encodeRequest(c, o, ex);
    EXPECT_EQ(cpa::sdk::toJson(out), cpa::sdk::toJson(parseJson(R"({"model":"claude-opus-4-1","max_tokens":16000,
        "system":[{"type":"text","text":"You are a coding agent."}],
        "messages":[
          {"role":"user","content":[{"type":"text","text":"Open main.cpp"}]},
          {"role":"assistant","content":[{"type":"thinking","thinking":"I should read it.","signature":"EqQBsig"},
            {"type":"tool_use","id":"toolu_01","name":"read_file","input":{"path":"main.cpp"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"int main(){}"}]}],
        "tools":[{"name":"read_file","description":"Read a file","input_schema":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}},
                 {"type":"web_search_20250305","name":"web_search","max_uses":2}],
        "tool_choice":{"type":"auto","disable_parallel_tool_use":true},
        "thinking":{"type":"enabled","budget_tokens":4096},
        "temperature":1,"stop_sequences":["<END>"],"metadata":{"user_id":"u1"},"stream":true})")));
    EXPECT_TRUE(ex.toolNameBack.empty());
}

}  // namespace
}  // namespace cpa::proxy::translate
