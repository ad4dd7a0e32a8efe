// A richer answer through all 12 cross pairs: thinking, text, two parallel
// tool calls — one with a name the provider cannot take as declared (Claude
// and Gemini sanitise it, Codex shortens it) — streamed and whole. The client
// must get its own tool name back and every call's arguments separately.
#include "pairs_test_util.hpp"

namespace cpa::proxy::translate::pairs {
namespace {

// Not valid for Claude ('/'), nor Gemini ('/'), and longer than Codex's 64 characters.
const std::string kOddName = "mcp__filesystem_server_for_the_workspace__read/text_file_with_limits";
constexpr const char* kOddArgs = R"({"path":"a.txt","limit":2})";
constexpr const char* kWeatherArgs = R"({"city":"Paris"})";
constexpr const char* kThought = "Let me think.";
constexpr const char* kAnswer = "OK.";

Value richBody(Format f) {
    const std::string schema = R"({"type":"object","properties":{"path":{"type":"string"}}})";
    const std::string w = R"({"type":"object","properties":{"city":{"type":"string"}}})";
    switch (f) {
        case Format::OpenAIChat:
            return J(R"({"model":"client-model","messages":[{"role":"user","content":"go"}],"tools":[
                {"type":"function","function":{"name":")" + kOddName + R"(","parameters":)" + schema + R"(}},
                {"type":"function","function":{"name":"get_weather","parameters":)" + w + "}}]}");
        case Format::Responses:
            return J(R"({"model":"client-model","input":"go","tools":[
                {"type":"function","name":")" + kOddName + R"(","parameters":)" + schema + R"(},
                {"type":"function","name":"get_weather","parameters":)" + w + "}]}");
        case Format::Claude:
            // Claude clients cannot declare such a name; they see it as any other client would.
            return J(R"({"model":"client-model","max_tokens":2048,"messages":[{"role":"user","content":"go"}],"tools":[
                {"name":")" + kOddName + R"(","input_schema":)" + schema + R"(},
                {"name":"get_weather","input_schema":)" + w + "}]}");
        case Format::Gemini:
            return J(R"({"contents":[{"role":"user","parts":[{"text":"go"}]}],"tools":[{"functionDeclarations":[
                {"name":")" + kOddName + R"(","parameters":)" + schema + R"(},
                {"name":"get_weather","parameters":)" + w + "}]}]}");
    }
    return Value();
}

/// The name the provider was sent for `declared` (from the encoded request's tools).
std::string sentName(const Attempt& a, const std::string& declared) {
    for (const auto& [sent, original] : a.ex.toolNameBack)
        if (original == declared) return sent;
    return declared;
}

std::string jsonString(const std::string& s) { return cpa::sdk::toJson(Value(s)); }

std::string richStream(Format provider, const std::string& odd) {
    std::string s;
    auto data = [&](const std::string& json) { s += "data: " + json + "\n\n"; };
    switch (provider) {
        case Format::OpenAIChat: {
            auto chunk = [&](const std::string& delta, const std::string& finish = "null") {
                data(R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":)" + delta +
                     R"(,"finish_reason":)" + finish + "}]}");
            };
            chunk(R"({"role":"assistant","reasoning_content":"Let me "})");
            chunk(R"({"reasoning_content":"think."})");
            chunk(R"({"content":"OK."})");
            chunk(R"({"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":)" + jsonString(odd) + R"(,"arguments":"{\"path\":"}}]})");
            chunk(R"({"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_weather","arguments":"{\"city\":"}}]})");
            chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"\"a.txt\",\"limit\":2}"}}]})");
            chunk(R"({"tool_calls":[{"index":1,"function":{"arguments":"\"Paris\"}"}}]})");
            chunk("{}", R"("tool_calls")");
            data(R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":7,"completion_tokens":9,"total_tokens":16}})");
            data("[DONE]");
            break;
        }
        case Format::Responses: {
            auto ev = [&](const std::string& type, const std::string& rest) { data(R"({"type":")" + type + R"(",)" + rest + "}"); };
            ev("response.created", R"("response":{"id":"resp_1","model":"m","status":"in_progress","output":[]})");
            ev("response.output_item.added", R"("output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[]})");
            ev("response.reasoning_summary_text.delta", R"("item_id":"rs_1","output_index":0,"summary_index":0,"delta":"Let me ")");
            ev("response.reasoning_summary_text.delta", R"("item_id":"rs_1","output_index":0,"summary_index":0,"delta":"think.")");
            ev("response.output_item.done", R"("output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"Let me think."}],"encrypted_content":"gAAAAenc"})");
            ev("response.output_item.added", R"("output_index":1,"item":{"id":"msg_1","type":"message","role":"assistant","content":[]})");
            ev("response.output_text.delta", R"("item_id":"msg_1","output_index":1,"content_index":0,"delta":"OK.")");
            ev("response.output_item.done", R"("output_index":1,"item":{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"output_text","text":"OK."}]})");
            ev("response.output_item.added", R"("output_index":2,"item":{"id":"fc_a","type":"function_call","call_id":"call_a","name":)" + jsonString(odd) + R"(,"arguments":""})");
            ev("response.function_call_arguments.delta", R"("item_id":"fc_a","output_index":2,"delta":"{\"path\":")");
            ev("response.function_call_arguments.delta", R"("item_id":"fc_a","output_index":2,"delta":"\"a.txt\",\"limit\":2}")");
            ev("response.output_item.done", R"("output_index":2,"item":{"id":"fc_a","type":"function_call","call_id":"call_a","name":)" + jsonString(odd) + R"(,"arguments":"{\"path\":\"a.txt\",\"limit\":2}"})");
            ev("response.output_item.added", R"("output_index":3,"item":{"id":"fc_b","type":"function_call","call_id":"call_b","name":"get_weather","arguments":""})");
            ev("response.function_call_arguments.delta", R"("item_id":"fc_b","output_index":3,"delta":"{\"city\":")");
            ev("response.function_call_arguments.delta", R"("item_id":"fc_b","output_index":3,"delta":"\"Paris\"}")");
            ev("response.output_item.done", R"("output_index":3,"item":{"id":"fc_b","type":"function_call","call_id":"call_b","name":"get_weather","arguments":"{\"city\":\"Paris\"}"})");
            ev("response.completed", R"("response":{"id":"resp_1","model":"m","status":"completed","output":[],"usage":{"input_tokens":7,"output_tokens":9,"total_tokens":16}})");
            break;
        }
        case Format::Claude: {
            data(R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"usage":{"input_tokens":7,"output_tokens":1}}})");
            data(R"({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}})");
            data(R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me "}})");
            data(R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"think."}})");
            data(R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBsig"}})");
            data(R"({"type":"content_block_stop","index":0})");
            data(R"({"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}})");
            data(R"({"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"OK."}})");
            data(R"({"type":"content_block_stop","index":1})");
            data(R"({"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"call_a","name":)" + jsonString(odd) + R"(,"input":{}}})");
            data(R"({"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"path\":"}})");
            data(R"({"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"\"a.txt\",\"limit\":2}"}})");
            data(R"({"type":"content_block_stop","index":2})");
            data(R"({"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"call_b","name":"get_weather","input":{}}})");
            data(R"({"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"{\"city\":\"Paris\"}"}})");
            data(R"({"type":"content_block_stop","index":3})");
            data(R"({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":9}})");
            data(R"({"type":"message_stop"})");
            break;
        }
        case Format::Gemini: {
            auto chunk = [&](const std::string& parts, const std::string& tail = {}) {
                data(R"({"candidates":[{"content":{"role":"model","parts":[)" + parts + "]}" + tail +
                     R"(,"index":0}],"modelVersion":"m","responseId":"r1"})");
            };
            chunk(R"({"text":"Let me ","thought":true})");
            chunk(R"({"text":"think.","thought":true,"thoughtSignature":"gsig"})");
            chunk(R"({"text":"OK."})");
            chunk(R"({"functionCall":{"name":)" + jsonString(odd) + R"(,"args":{"path":"a.txt","limit":2}}},{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}})");
            s += R"(data: {"candidates":[{"content":{"role":"model","parts":[{"text":""}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":7,"candidatesTokenCount":9,"totalTokenCount":16},"modelVersion":"m","responseId":"r1"})"
                 "\n\n";
            break;
        }
    }
    return s;
}

Value richReply(Format provider, const std::string& odd) {
    const std::string n = jsonString(odd);
    switch (provider) {
        case Format::OpenAIChat:
            return J(R"({"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant",
                "reasoning_content":"Let me think.","content":"OK.","tool_calls":[
                {"id":"call_a","type":"function","function":{"name":)" + n + R"(,"arguments":"{\"path\":\"a.txt\",\"limit\":2}"}},
                {"id":"call_b","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
                "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":7,"completion_tokens":9,"total_tokens":16}})");
        case Format::Responses:
            return J(R"({"id":"resp_1","object":"response","model":"m","status":"completed","output":[
                {"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"Let me think."}],"encrypted_content":"gAAAAenc"},
                {"id":"msg_1","type":"message","role":"assistant","content":[{"type":"output_text","text":"OK."}]},
                {"id":"fc_a","type":"function_call","call_id":"call_a","name":)" + n + R"(,"arguments":"{\"path\":\"a.txt\",\"limit\":2}"},
                {"id":"fc_b","type":"function_call","call_id":"call_b","name":"get_weather","arguments":"{\"city\":\"Paris\"}"}],
                "usage":{"input_tokens":7,"output_tokens":9,"total_tokens":16}})");
        case Format::Claude:
            return J(R"({"id":"msg_1","type":"message","role":"assistant","model":"m","content":[
                {"type":"thinking","thinking":"Let me think.","signature":"EqQBsig"},{"type":"text","text":"OK."},
                {"type":"tool_use","id":"call_a","name":)" + n + R"(,"input":{"path":"a.txt","limit":2}},
                {"type":"tool_use","id":"call_b","name":"get_weather","input":{"city":"Paris"}}],
                "stop_reason":"tool_use","usage":{"input_tokens":7,"output_tokens":9}})");
        case Format::Gemini:
            return J(R"({"candidates":[{"content":{"role":"model","parts":[{"text":"Let me think.","thought":true,"thoughtSignature":"gsig"},
                {"text":"OK."},{"functionCall":{"name":)" + n + R"(,"args":{"path":"a.txt","limit":2}}},
                {"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},"finishReason":"STOP","index":0}],
                "usageMetadata":{"promptTokenCount":7,"candidatesTokenCount":9,"totalTokenCount":16},"modelVersion":"m","responseId":"r1"})");
    }
    return Value();
}

class PairRichAnswer : public ::testing::TestWithParam<PairParam> {};

INSTANTIATE_TEST_SUITE_P(AllCrossPairs, PairRichAnswer, ::testing::ValuesIn(crossPairs()), pairName);

TEST_P(PairRichAnswer, ProviderIsSentANameItAccepts) {
    const auto [client, provider] = GetParam();
    const Attempt a(client, provider, richBody(client), true);
    const std::string sent = sentName(a, kOddName);
    switch (provider) {
        case Format::OpenAIChat: EXPECT_EQ(sent, kOddName); break;
        // Codex: the 64-character limit (translation.md §2.6)
        case Format::Responses: EXPECT_LE(sent.size(), 64u); break;
        case Format::Claude:  // [A-Za-z0-9_-], up to 128 characters
            EXPECT_EQ(sent.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"),
                      std::string::npos);
            EXPECT_LE(sent.size(), 128u);
            break;
        case Format::Gemini:  // [A-Za-z0-9_.:-], up to 64 characters
            EXPECT_EQ(sent.find('/'), std::string::npos);
            EXPECT_LE(sent.size(), 64u);
            break;
    }
    if (provider != Format::OpenAIChat) {
        EXPECT_NE(sent, kOddName);
    }
}

TEST_P(PairRichAnswer, StreamKeepsThinkingTwoCallsAndTheDeclaredName) {
    const auto [client, provider] = GetParam();
    const Attempt a(client, provider, richBody(client), true);
    const Pumped p = pump(a, richStream(provider, sentName(a, kOddName)));
    ASSERT_EQ(p.fatalStatus, 0) << p.fatalMessage;
    const Summary s = redecode(client, p.out);
    EXPECT_EQ(s.errors, 0) << s.error;
    EXPECT_EQ(s.thinking, kThought) << p.out;
    EXPECT_EQ(s.text, kAnswer);
    ASSERT_EQ(s.calls.size(), 2u) << p.out;
    EXPECT_EQ(s.calls[0].name, kOddName);
    EXPECT_EQ(args(s.calls[0].arguments), J(kOddArgs)) << s.calls[0].arguments;
    EXPECT_EQ(s.calls[1].name, "get_weather");
    EXPECT_EQ(args(s.calls[1].arguments), J(kWeatherArgs)) << s.calls[1].arguments;
    EXPECT_NE(s.calls[0].id, s.calls[1].id);
    EXPECT_EQ(s.finish, FinishReason::ToolCalls);
    EXPECT_EQ(s.usage.input, 7);
    EXPECT_EQ(s.usage.output, 9);
}

TEST_P(PairRichAnswer, ReplyKeepsThinkingTwoCallsAndTheDeclaredName) {
    const auto [client, provider] = GetParam();
    const Attempt a(client, provider, richBody(client));
    const Value body = a.reply(richReply(provider, sentName(a, kOddName)));
    const Exchange plain;
    const Reply r = codecFor(client).decodeReply(body, plain);
    std::string thinking, text;
    std::vector<const Part*> calls;
    for (const Part& part : r.parts) {
        if (part.kind == Part::Kind::Thinking) thinking += part.text;
        if (part.kind == Part::Kind::Text) text += part.text;
        if (part.kind == Part::Kind::ToolCall) calls.push_back(&part);
    }
    SCOPED_TRACE(cpa::sdk::toJson(body));
    EXPECT_EQ(thinking, kThought);
    EXPECT_EQ(text, kAnswer);
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0]->name, kOddName);
    EXPECT_EQ(args(calls[0]->arguments), J(kOddArgs));
    EXPECT_EQ(calls[1]->name, "get_weather");
    EXPECT_EQ(args(calls[1]->arguments), J(kWeatherArgs));
    EXPECT_EQ(r.finish, FinishReason::ToolCalls);
    EXPECT_EQ(r.usage.input, 7);
    EXPECT_EQ(r.usage.output, 9);
}

}  // namespace
}  // namespace cpa::proxy::translate::pairs
