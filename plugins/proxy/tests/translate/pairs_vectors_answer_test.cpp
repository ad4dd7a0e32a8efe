// The original's two-format answer vectors (docs/spec/translation.md §5.1):
// upstream payloads through the provider codec's decoder and the client
// codec's encoder, as the executor's framer / translateReply run them.
#include "pairs_test_util.hpp"

#include <algorithm>

namespace cpa::proxy::translate::pairs {
namespace {

constexpr const char* kChatClient = R"({"model":"model","messages":[{"role":"user","content":"hi"}]})";
constexpr const char* kResponsesClient = R"({"model":"model","input":"hi","tool_choice":"auto","parallel_tool_calls":true})";
constexpr const char* kClaudeClient = R"({"model":"claude-opus-4-6","max_tokens":9,"messages":[{"role":"user","content":"hi"}]})";
constexpr const char* kGeminiClient = R"({"contents":[{"role":"user","parts":[{"text":"hi"}]}]})";

Value clientBody(Format f) {
    switch (f) {
        case Format::OpenAIChat: return J(kChatClient);
        case Format::Responses: return J(kResponsesClient);
        case Format::Claude: return J(kClaudeClient);
        case Format::Gemini: return J(kGeminiClient);
    }
    return Value();
}

/// Upstream payload lines → the client's frames.
std::vector<Frame> run(Format client, Format provider, const std::vector<std::string>& lines, Pumped* pumped = nullptr,
                       const Value* body = nullptr, const std::string& clientModel = "model") {
    const Attempt a(client, provider, body ? *body : clientBody(client), true, clientModel);
    std::string sse;
    for (const std::string& l : lines) sse += l + "\n\n";
    Pumped p = pump(a, sse);
    EXPECT_EQ(p.fatalStatus, 0) << p.fatalMessage;
    std::vector<Frame> f = frames(p.out);
    if (pumped) *pumped = std::move(p);
    return f;
}

std::vector<const Frame*> named(const std::vector<Frame>& fs, std::string_view event,
                                std::string_view itemType = {}) {
    std::vector<const Frame*> out;
    for (const Frame& f : fs)
        if (f.event == event && (itemType.empty() || str(f.data, "item.type") == itemType)) out.push_back(&f);
    return out;
}

std::size_t positionOf(const std::vector<Frame>& fs, const Frame* f) { return static_cast<std::size_t>(f - fs.data()); }

// ---- openai → claude answers (claude/openai/chat-completions/…_response_test.go) ---
// A Claude provider's answer for a chat client.

TEST(PairVectorsClaudeAnswerToChat, StreamUsageIncludesCachedTokens) {
    const auto fs = run(Format::OpenAIChat, Format::Claude,
                        {R"(data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":13,"output_tokens":4,"cache_read_input_tokens":22000,"cache_creation_input_tokens":31}})"});
    const Frame* usage = nullptr;
    for (const Frame& f : fs)
        if (f.payload != "[DONE]" && at(f.data, "usage")) usage = &f;
    ASSERT_NE(usage, nullptr);
    EXPECT_EQ(num(usage->data, "usage.prompt_tokens"), 22044);
    EXPECT_EQ(num(usage->data, "usage.completion_tokens"), 4);
    EXPECT_EQ(num(usage->data, "usage.total_tokens"), 22048);
    EXPECT_EQ(num(usage->data, "usage.prompt_tokens_details.cached_tokens"), 22000);
    EXPECT_EQ(fs.back().payload, "[DONE]");
}

TEST(PairVectorsClaudeAnswerToChat, NonStreamUsageIncludesCachedTokens) {
    const Attempt a(Format::OpenAIChat, Format::Claude, J(kChatClient));
    const Value out = a.reply(J(R"({"id":"msg_123","type":"message","role":"assistant","model":"claude-opus-4-6",
        "content":[],"stop_reason":"end_turn",
        "usage":{"input_tokens":13,"output_tokens":4,"cache_read_input_tokens":22000,"cache_creation_input_tokens":31}})"));
    EXPECT_EQ(num(out, "usage.prompt_tokens"), 22044);
    EXPECT_EQ(num(out, "usage.completion_tokens"), 4);
    EXPECT_EQ(num(out, "usage.total_tokens"), 22048);
    EXPECT_EQ(num(out, "usage.prompt_tokens_details.cached_tokens"), 22000);
}

// ---- openai-response ← openai chat (openai/openai/responses/…_response_test.go) ---
// An OpenAI-compatible provider's stream for a Responses client.

const std::string kChunk = R"(data: {"id":"resp_t","object":"chat.completion.chunk","created":1773896263,"model":"model","choices":[)";
std::string chatChunk(const std::string& choices, const std::string& extra = {}) {
    return kChunk + choices + "]" + extra + "}";
}
std::string callStart(int index, const std::string& id, const std::string& name) {
    return R"({"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":null,"tool_calls":[{"index":)" +
           std::to_string(index) + R"(,"id":")" + id + R"(","type":"function","function":{"name":")" + name +
           R"(","arguments":""}}]},"finish_reason":null})";
}
std::string callArgs(int index, const std::string& argsJsonString) {
    return R"({"index":0,"delta":{"role":null,"content":null,"reasoning_content":null,"tool_calls":[{"index":)" +
           std::to_string(index) + R"(,"function":{"arguments":)" + argsJsonString + "}}]},\"finish_reason\":null}";
}
const std::string kFinishCalls = R"({"index":0,"delta":{"role":null,"content":null,"reasoning_content":null,"tool_calls":null},"finish_reason":"tool_calls"})";

TEST(PairVectorsChatAnswerToResponses, ResponseCompletedWaitsForTheEnd) {
    struct Case {
        const char* name;
        std::vector<std::string> lines;
        std::int64_t input, output, total;  // -1: no usage
    };
    const std::string args = R"("{\"filePath\":\"C:\\\\repo\\\\README.md\"}")";
    const Case cases[] = {
        {"late usage after the finish reason",
         {chatChunk(callStart(0, "call_late_usage", "read")),
          chatChunk(R"({"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":)" + args + R"(}}]},"finish_reason":"tool_calls"})"),
          chatChunk("", R"(,"usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18})"), "data: [DONE]"},
         11, 7, 18},
        {"usage on the finish chunk",
         {chatChunk(callStart(0, "call_usage_same_chunk", "read")),
          chatChunk(R"({"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":)" + args + R"(}}]},"finish_reason":"tool_calls"})",
                    R"(,"usage":{"prompt_tokens":13,"completion_tokens":5,"total_tokens":18})"),
          "data: [DONE]"},
         13, 5, 18},
        {"no usage",
         {chatChunk(callStart(0, "call_no_usage", "read")),
          chatChunk(R"({"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":)" + args + R"(}}]},"finish_reason":"tool_calls"})"),
          "data: [DONE]"},
         -1, -1, -1},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        Pumped p;
        const auto fs = run(Format::Responses, Format::OpenAIChat, c.lines, &p);
        // response.completed is written once, when the upstream stream ends
        // (the framer's finish: after [DONE]), never at the finish_reason chunk.
        for (std::size_t i = 0; i + 1 < p.writes.size(); ++i)
            EXPECT_EQ(p.writes[i].find("response.completed"), std::string::npos) << "line " << i;
        const auto completed = named(fs, "response.completed");
        ASSERT_EQ(completed.size(), 1u);
        EXPECT_NE(p.writes.back().find("response.completed"), std::string::npos);
        const Value& r = completed[0]->data;
        if (c.input < 0) {
            const Value* u = at(r, "response.usage");
            EXPECT_TRUE(!u || u->isNull()) << cpa::sdk::toJson(*u);
        } else {
            EXPECT_EQ(num(r, "response.usage.input_tokens"), c.input);
            EXPECT_EQ(num(r, "response.usage.output_tokens"), c.output);
            EXPECT_EQ(num(r, "response.usage.total_tokens"), c.total);
        }
        EXPECT_EQ(J(str(r, "response.output.0.arguments")), J(R"({"filePath":"C:\\repo\\README.md"})"));
    }
}

std::vector<std::string> twoCalls(const std::string& first, const std::string& firstName, const std::string& second,
                                  const std::string& secondName) {
    return {chatChunk(callStart(0, first, firstName)),
            chatChunk(callArgs(0, firstName == "read" ? R"("{\"filePath\":\"C:\\\\repo\",\"limit\":400,\"offset\":1}")"
                                                      : R"("{\"path\":\"C:\\\\repo\",\"pattern\":\"*.go\"}")")),
            chatChunk(callStart(1, second, secondName)),
            chatChunk(callArgs(1, secondName == "glob" ? R"("{\"path\":\"C:\\\\repo\",\"pattern\":\"*.{yml,yaml}\"}")"
                                                       : R"("{\"filePath\":\"C:\\\\repo\\\\README.md\",\"limit\":20,\"offset\":1}")")),
            chatChunk(kFinishCalls, R"(,"usage":{"completion_tokens":10,"total_tokens":20,"prompt_tokens":10})"),
            "data: [DONE]"};
}

TEST(PairVectorsChatAnswerToResponses, MultipleToolCallsRemainSeparate) {
    const auto fs = run(Format::Responses, Format::OpenAIChat, twoCalls("call_read", "read", "call_glob", "glob"));
    std::map<std::string, std::string> added, doneArgs, doneNames, completed;
    for (const Frame* f : named(fs, "response.output_item.added", "function_call"))
        added[str(f->data, "item.call_id")] = str(f->data, "item.name");
    for (const Frame* f : named(fs, "response.output_item.done", "function_call")) {
        doneArgs[str(f->data, "item.call_id")] = str(f->data, "item.arguments");
        doneNames[str(f->data, "item.call_id")] = str(f->data, "item.name");
    }
    const auto end = named(fs, "response.completed");
    ASSERT_EQ(end.size(), 1u);
    for (const Value& item : at(end[0]->data, "response.output")->asArray())
        if (str(item, "type") == "function_call") completed[str(item, "call_id")] = str(item, "name");
    EXPECT_EQ(added, (std::map<std::string, std::string>{{"call_glob", "glob"}, {"call_read", "read"}}));
    EXPECT_EQ(doneNames, added);
    EXPECT_EQ(completed, added);
    ASSERT_EQ(doneArgs.size(), 2u);
    EXPECT_EQ(str(args(doneArgs["call_read"]), "filePath"), "C:\\repo");
    EXPECT_EQ(str(args(doneArgs["call_glob"]), "path"), "C:\\repo");
    EXPECT_EQ(str(args(doneArgs["call_glob"]), "pattern"), "*.{yml,yaml}");
}

TEST(PairVectorsChatAnswerToResponses, OnlyTheFirstChoiceIsTranslated) {
    // MultiChoiceToolCallsUseDistinctOutputIndexes: cpa translates choice 0 only (decision T14).
    const auto fs = run(Format::Responses, Format::OpenAIChat,
                        {chatChunk(R"({"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_choice0","type":"function","function":{"name":"glob","arguments":""}}]},"finish_reason":null},{"index":1,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_choice1","type":"function","function":{"name":"read","arguments":""}}]},"finish_reason":null})"),
                         chatChunk(R"({"index":0,"delta":{},"finish_reason":"tool_calls"},{"index":1,"delta":{},"finish_reason":"tool_calls"})"),
                         "data: [DONE]"});
    const auto added = named(fs, "response.output_item.added", "function_call");
    ASSERT_EQ(added.size(), 1u);
    EXPECT_EQ(str(added[0]->data, "item.call_id"), "call_choice0");
}

TEST(PairVectorsChatAnswerToResponses, MixedMessageAndToolUseDistinctOutputIndexes) {
    // The original's vector puts the text and the call in two choices; here both are choice 0 (T14).
    const auto fs = run(Format::Responses, Format::OpenAIChat,
                        {chatChunk(R"({"index":0,"delta":{"role":"assistant","content":"hello"},"finish_reason":null})"),
                         chatChunk(callStart(0, "call_choice1", "read")),
                         chatChunk(callArgs(0, R"("{\"filePath\":\"README.md\"}")")),
                         chatChunk(kFinishCalls), "data: [DONE]"});
    const auto message = named(fs, "response.output_item.added", "message");
    const auto call = named(fs, "response.output_item.added", "function_call");
    const auto messageDone = named(fs, "response.output_item.done", "message");
    ASSERT_EQ(message.size(), 1u);
    ASSERT_EQ(call.size(), 1u);
    ASSERT_EQ(messageDone.size(), 1u);
    EXPECT_NE(num(message[0]->data, "output_index"), num(call[0]->data, "output_index"));
    EXPECT_LT(positionOf(fs, messageDone[0]), positionOf(fs, call[0]));  // the message is closed before the call
}

TEST(PairVectorsChatAnswerToResponses, FunctionCallDoneAndCompletedOutputStayAscending) {
    const auto fs = run(Format::Responses, Format::OpenAIChat, twoCalls("call_glob", "glob", "call_read", "read"));
    std::vector<std::int64_t> argsDone, itemDone, completed;
    for (const Frame* f : named(fs, "response.function_call_arguments.done")) argsDone.push_back(num(f->data, "output_index"));
    for (const Frame* f : named(fs, "response.output_item.done", "function_call"))
        itemDone.push_back(num(f->data, "output_index"));
    ASSERT_EQ(argsDone.size(), 2u);
    ASSERT_EQ(itemDone.size(), 2u);
    EXPECT_TRUE(std::is_sorted(argsDone.begin(), argsDone.end()));
    EXPECT_TRUE(std::is_sorted(itemDone.begin(), itemDone.end()));
    EXPECT_NE(itemDone[0], itemDone[1]);
    const auto end = named(fs, "response.completed");
    ASSERT_EQ(end.size(), 1u);
    std::vector<std::string> order;
    for (const Value& item : at(end[0]->data, "response.output")->asArray()) order.push_back(str(item, "call_id"));
    EXPECT_EQ(order, (std::vector<std::string>{"call_glob", "call_read"}));
}

TEST(PairVectorsChatAnswerToResponses, InterleavedParallelCallsKeepTheirArguments) {
    // Some compatible servers interleave two calls' argument deltas: a call
    // stays open while its arguments are incomplete, so its done events and
    // its item carry all of them (the fix this pair test found).
    const auto fs = run(Format::Responses, Format::OpenAIChat,
                        {chatChunk(callStart(0, "call_a", "read")), chatChunk(callStart(1, "call_b", "glob")),
                         chatChunk(callArgs(0, R"("{\"path\":")")), chatChunk(callArgs(1, R"("{\"pattern\":")")),
                         chatChunk(callArgs(0, R"("\"a.txt\"}")")), chatChunk(callArgs(1, R"("\"*.go\"}")")),
                         chatChunk(kFinishCalls), "data: [DONE]"});
    std::map<std::string, std::string> deltas, done, items;
    std::map<std::string, std::string> itemCall;  // item_id → call_id
    for (const Frame* f : named(fs, "response.output_item.added", "function_call"))
        itemCall[str(f->data, "item.id")] = str(f->data, "item.call_id");
    for (const Frame* f : named(fs, "response.function_call_arguments.delta"))
        deltas[itemCall[str(f->data, "item_id")]] += str(f->data, "delta");
    for (const Frame* f : named(fs, "response.function_call_arguments.done"))
        done[itemCall[str(f->data, "item_id")]] = str(f->data, "arguments");
    for (const Frame* f : named(fs, "response.output_item.done", "function_call"))
        items[str(f->data, "item.call_id")] = str(f->data, "item.arguments");
    const std::map<std::string, std::string> expected = {{"call_a", R"({"path":"a.txt"})"}, {"call_b", R"({"pattern":"*.go"})"}};
    EXPECT_EQ(deltas, expected);
    EXPECT_EQ(done, expected);
    EXPECT_EQ(items, expected);
    // Sequential calls (the usual case) still close one by one: see FunctionCallEventOrder.
}

TEST(PairVectorsChatAnswerToGemini, InterleavedParallelCallsKeepTheirArguments) {
    const auto fs = run(Format::Gemini, Format::OpenAIChat,
                        {chatChunk(callStart(0, "call_a", "read")), chatChunk(callStart(1, "call_b", "glob")),
                         chatChunk(callArgs(0, R"("{\"path\":")")), chatChunk(callArgs(1, R"("{\"pattern\":")")),
                         chatChunk(callArgs(0, R"("\"a.txt\"}")")), chatChunk(callArgs(1, R"("\"*.go\"}")")),
                         chatChunk(kFinishCalls), "data: [DONE]"});
    std::vector<std::string> calls;
    for (const Frame& f : fs)
        if (const Value* parts = at(f.data, "candidates.0.content.parts"))
            for (const Value& p : parts->asArray())
                if (at(p, "functionCall"))
                    calls.push_back(str(p, "functionCall.name") + " " + cpa::sdk::toJson(*at(p, "functionCall.args")));
    EXPECT_EQ(calls, (std::vector<std::string>{R"(read {"path":"a.txt"})", R"(glob {"pattern":"*.go"})"}));
}

// ---- gemini → Responses (gemini/openai/responses/…_response_test.go) ----------
// A Gemini (Code Assist envelope) provider's stream for a Responses client.

std::string vertex(const std::string& parts, const std::string& tail = {}, const std::string& id = "req_vrtx_1") {
    return R"(data: {"response":{"candidates":[{"content":{"role":"model","parts":[)" + parts + "]}" + tail +
           R"(}],"modelVersion":"test-model","responseId":")" + id + R"("},"traceId":"t1"})";
}

TEST(PairVectorsGeminiAnswerToResponses, UnwrapAndAggregateText) {
    const Value body = J(R"({"instructions":"test instructions","model":"gpt-5","max_output_tokens":123,"input":"hi"})");
    const auto fs = run(Format::Responses, Format::Gemini,
                        {vertex(R"({"text":""})"), vertex(R"({"text":"让"})"), vertex(R"({"text":"我先"})"),
                         vertex(R"({"text":"了解"})"),
                         vertex(R"({"functionCall":{"name":"mcp__serena__list_dir","args":{"recursive":false,"relative_path":"internal"},"id":"toolu_1"}})"),
                         R"(data: {"response":{"candidates":[{"content":{"role":"model","parts":[{"text":""}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":5,"totalTokenCount":15,"cachedContentTokenCount":2},"modelVersion":"test-model","responseId":"req_vrtx_1"},"traceId":"t1"})"},
                        nullptr, &body, "gpt-5");
    const auto textDone = named(fs, "response.output_text.done");
    const auto partDone = named(fs, "response.content_part.done");
    const auto messageDone = named(fs, "response.output_item.done", "message");
    const auto callAdded = named(fs, "response.output_item.added", "function_call");
    const auto callDone = named(fs, "response.output_item.done", "function_call");
    const auto completed = named(fs, "response.completed");
    ASSERT_EQ(textDone.size(), 1u);
    ASSERT_EQ(partDone.size(), 1u);
    ASSERT_EQ(messageDone.size(), 1u);
    ASSERT_EQ(callAdded.size(), 1u);
    ASSERT_EQ(callDone.size(), 1u);
    ASSERT_EQ(completed.size(), 1u);
    EXPECT_LT(positionOf(fs, textDone[0]), positionOf(fs, partDone[0]));
    EXPECT_LT(positionOf(fs, partDone[0]), positionOf(fs, messageDone[0]));
    EXPECT_LT(positionOf(fs, messageDone[0]), positionOf(fs, callAdded[0]));
    EXPECT_EQ(str(textDone[0]->data, "text"), "让我先了解");
    EXPECT_EQ(str(messageDone[0]->data, "item.content.0.text"), "让我先了解");
    // The original derives "resp_req_vrtx_1"; cpa keeps an upstream id only when it is a Responses id.
    EXPECT_EQ(str(completed[0]->data, "response.id").rfind("resp_", 0), 0u);
    EXPECT_EQ(str(completed[0]->data, "response.instructions"), "test instructions");
    EXPECT_EQ(num(completed[0]->data, "response.max_output_tokens"), 123);
    EXPECT_EQ(num(completed[0]->data, "response.usage.input_tokens_details.cached_tokens"), 2);
    EXPECT_EQ(str(callDone[0]->data, "item.name"), "mcp__serena__list_dir");
    const Value a = args(str(callDone[0]->data, "item.arguments"));
    EXPECT_FALSE(at(a, "recursive")->boolOr(true));
    EXPECT_EQ(str(a, "relative_path"), "internal");
}

TEST(PairVectorsGeminiAnswerToResponses, ReasoningEncryptedContent) {
    const std::string sig = "RXE0RENrZ0lDaEFDR0FJcVFOZDdjUzlleGFuRktRdFcvSzNyZ2MvWDNCcDQ4RmxSbGxOWUlOVU5kR1l1UHMrMGdkMVp0Vkg3ekdKU0g4YVljc2JjN3lNK0FrdGpTNUdqamI4T3Z0VVNETzdQd3pmcFhUOGl3U3hXUEJvTVFRQ09mWTFyMEtTWGZxUUlJakFqdmFGWk83RW1XRlBKckJVOVpkYzdDKw==";
    const auto fs = run(Format::Responses, Format::Gemini,
                        {vertex(R"({"thought":true,"thoughtSignature":")" + sig + R"(","text":""})", {}, "req_vrtx_sig"),
                         vertex(R"({"thought":true,"text":"a"})", {}, "req_vrtx_sig"),
                         vertex(R"({"text":"hello"})", {}, "req_vrtx_sig"),
                         vertex(R"({"text":""})", R"(,"finishReason":"STOP")", "req_vrtx_sig")});
    const auto done = named(fs, "response.output_item.done", "reasoning");
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(str(done[0]->data, "item.encrypted_content"), sig);
    EXPECT_EQ(str(done[0]->data, "item.summary.0.text"), "a");
    // The original also repeats the signature on output_item.added; cpa's
    // added item is written before the signature is known to belong to it.
    const auto completed = named(fs, "response.completed");
    ASSERT_EQ(completed.size(), 1u);
    EXPECT_EQ(str(completed[0]->data, "response.output.0.encrypted_content"), sig);
    EXPECT_EQ(str(completed[0]->data, "response.output.1.content.0.text"), "hello");
}

TEST(PairVectorsGeminiAnswerToResponses, FunctionCallEventOrder) {
    const auto fs = run(Format::Responses, Format::Gemini,
                        {vertex(R"({"functionCall":{"name":"tool0"}})"), vertex(R"({"functionCall":{"name":"tool1"}})"),
                         vertex(R"({"functionCall":{"name":"tool2","args":{"a":1}}})"),
                         R"(data: {"response":{"candidates":[{"content":{"role":"model","parts":[{"text":""}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":5,"totalTokenCount":15,"cachedContentTokenCount":0},"modelVersion":"test-model","responseId":"req_vrtx_1"},"traceId":"t1"})"});
    // Per call: added, arguments delta, arguments done, item done — one call after the other.
    std::vector<std::string> seq;
    for (const Frame& f : fs) {
        const std::int64_t oi = num(f.data, "output_index");
        if (f.event == "response.output_item.added" || f.event == "response.function_call_arguments.delta" ||
            f.event == "response.function_call_arguments.done" || f.event == "response.output_item.done")
            seq.push_back(std::to_string(oi) + ":" + f.event.substr(9));
    }
    EXPECT_EQ(seq, (std::vector<std::string>{
                       "0:output_item.added", "0:function_call_arguments.delta", "0:function_call_arguments.done", "0:output_item.done",
                       "1:output_item.added", "1:function_call_arguments.delta", "1:function_call_arguments.done", "1:output_item.done",
                       "2:output_item.added", "2:function_call_arguments.delta", "2:function_call_arguments.done", "2:output_item.done"}));
    const auto done = named(fs, "response.output_item.done", "function_call");
    ASSERT_EQ(done.size(), 3u);
    EXPECT_EQ(str(done[0]->data, "item.name"), "tool0");
    EXPECT_EQ(J(str(done[0]->data, "item.arguments")), J("{}"));
    EXPECT_EQ(J(str(done[2]->data, "item.arguments")), J(R"({"a":1})"));
    EXPECT_NE(str(done[0]->data, "item.call_id"), str(done[1]->data, "item.call_id"));
}

TEST(PairVectorsGeminiAnswerToResponses, ResponseOutputOrdering) {
    const auto fs = run(Format::Responses, Format::Gemini,
                        {vertex(R"({"functionCall":{"name":"tool0","args":{"x":"y"}}})", {}, "req_vrtx_2"),
                         vertex(R"({"text":"hi"})", {}, "req_vrtx_2"),
                         vertex(R"({"text":""})", R"(,"finishReason":"STOP")", "req_vrtx_2")});
    const auto completed = named(fs, "response.completed");
    ASSERT_EQ(completed.size(), 1u);
    const Value& output = *at(completed[0]->data, "response.output");
    ASSERT_EQ(output.size(), 2u) << cpa::sdk::toJson(output);
    EXPECT_EQ(str(output, "0.type"), "function_call");
    EXPECT_EQ(str(output, "1.type"), "message");
    EXPECT_EQ(str(output, "1.content.0.text"), "hi");
}

// ---- chat ← codex answers (codex/openai/chat-completions/…_response_test.go) ----

TEST(PairVectorsCodexAnswerToChat, ChunkModelIsTheClients) {
    // The original switches to response.model once seen; cpa echoes the model
    // the client asked for in every chunk (as the executor's other answers).
    Pumped p;
    const auto fs = run(Format::OpenAIChat, Format::Responses,
                        {R"(data: {"type":"response.created","response":{"id":"resp_123","created_at":1700000000,"model":"gpt-5.3-codex"}})",
                         R"(data: {"type":"response.output_text.delta","delta":"hello"})",
                         R"(data: {"type":"response.completed","response":{"id":"resp_123","status":"completed","output":[]}})"},
                        &p, nullptr, "gpt-5.3-codex-client");
    ASSERT_GE(fs.size(), 2u);
    for (const Frame& f : fs)
        if (f.payload != "[DONE]") {
            EXPECT_EQ(str(f.data, "model"), "gpt-5.3-codex-client");
        }
    EXPECT_EQ(redecode(Format::OpenAIChat, writtenThrough(p, 2), false).text, "hello");
}

TEST(PairVectorsCodexAnswerToChat, ToolCallChunksOmitContentFields) {
    const auto fs = run(Format::OpenAIChat, Format::Responses,
                        {R"(data: {"type":"response.output_item.added","item":{"type":"function_call","call_id":"call_123","name":"websearch"}})",
                         R"(data: {"type":"response.function_call_arguments.delta","delta":"{\"query\":\"OpenAI\"}"})",
                         R"(data: {"type":"response.completed","response":{"id":"resp_123","status":"completed","output":[]}})"});
    int calls = 0;
    for (const Frame& f : fs) {
        const Value* delta = at(f.data, "choices.0.delta");
        if (!delta || !delta->find("tool_calls")) continue;
        ++calls;
        EXPECT_EQ(delta->find("content"), nullptr) << f.payload;
        EXPECT_EQ(delta->find("reasoning_content"), nullptr) << f.payload;
    }
    EXPECT_EQ(calls, 2);
    const Summary s = redecode(Format::OpenAIChat, [&] {
        std::string out;
        for (const Frame& f : fs) out += "data: " + f.payload + "\n\n";
        return out;
    }());
    ASSERT_EQ(s.calls.size(), 1u);
    EXPECT_EQ(s.calls[0].id, "call_123");
    EXPECT_EQ(s.calls[0].name, "websearch");
    EXPECT_EQ(args(s.calls[0].arguments), J(R"({"query":"OpenAI"})"));
}

TEST(PairVectorsCodexAnswerToChat, GeneratedImagesBecomeDeltaImages) {
    const auto fs = run(Format::OpenAIChat, Format::Responses,
                        {R"(data: {"type":"response.image_generation_call.partial_image","item_id":"ig_123","output_format":"png","partial_image_b64":"aGVsbG8=","partial_image_index":0})",
                         R"(data: {"type":"response.output_item.done","item":{"id":"ig_123","type":"image_generation_call","output_format":"png","result":"aGVsbG8="}})",
                         R"(data: {"type":"response.output_item.done","item":{"id":"ig_123","type":"image_generation_call","output_format":"jpeg","result":"Ymll"}})",
                         R"(data: {"type":"response.completed","response":{"id":"resp_123","status":"completed","output":[]}})"});
    std::vector<std::string> urls;
    for (const Frame& f : fs)
        if (const Value* images = at(f.data, "choices.0.delta.images"))
            for (const Value& img : images->asArray()) urls.push_back(str(img, "image_url.url"));
    // The final image that repeats the last partial one is not sent twice.
    EXPECT_EQ(urls, (std::vector<std::string>{"data:image/png;base64,aGVsbG8=", "data:image/jpeg;base64,Ymll"}));
}

TEST(PairVectorsCodexAnswerToChat, NonStreamImageGenerationCallAddsMessageImages) {
    const Attempt a(Format::OpenAIChat, Format::Responses, J(kChatClient));
    const Value out = a.reply(J(R"({"id":"resp_1","object":"response","status":"completed","output":[
        {"id":"ig_1","type":"image_generation_call","output_format":"webp","result":"aGVsbG8="},
        {"type":"message","role":"assistant","content":[{"type":"output_text","text":"here"}]}]})"));
    EXPECT_EQ(str(out, "choices.0.message.content"), "here");
    EXPECT_EQ(str(out, "choices.0.message.images.0.image_url.url"), "data:image/webp;base64,aGVsbG8=");
}

// ---- claude ← codex answers (codex/claude/codex_claude_response_test.go) -------

struct ClaudeBlocks {
    std::vector<std::string> thinking, signatures, texts;
    std::string stopReason;
};

ClaudeBlocks claudeBlocks(const std::vector<Frame>& fs) {
    ClaudeBlocks b;
    for (const Frame& f : fs) {
        if (f.event == "content_block_start" && str(f.data, "content_block.type") == "thinking") {
            b.thinking.emplace_back();
            b.signatures.emplace_back();
        } else if (f.event == "content_block_start" && str(f.data, "content_block.type") == "text") {
            b.texts.emplace_back();
        } else if (f.event == "content_block_delta") {
            const std::string type = str(f.data, "delta.type");
            if (type == "thinking_delta" && !b.thinking.empty()) b.thinking.back() += str(f.data, "delta.thinking");
            if (type == "signature_delta" && !b.signatures.empty()) b.signatures.back() = str(f.data, "delta.signature");
            if (type == "text_delta" && !b.texts.empty()) b.texts.back() += str(f.data, "delta.text");
        } else if (f.event == "message_delta") {
            b.stopReason = str(f.data, "delta.stop_reason");
        }
    }
    return b;
}

TEST(PairVectorsCodexAnswerToClaude, StreamThinkingIncludesSignature) {
    struct Case {
        const char* name;
        std::vector<std::string> lines;
        std::vector<std::string> thinking, signatures;
    };
    const std::string created = R"(data: {"type":"response.created","response":{"id":"resp_123","model":"gpt-5"}})";
    const Case cases[] = {
        {"signature from output_item.done",
         {created, R"(data: {"type":"response.reasoning_summary_part.added"})",
          R"(data: {"type":"response.reasoning_summary_text.delta","delta":"Let me think"})",
          R"(data: {"type":"response.reasoning_summary_part.done"})",
          R"(data: {"type":"response.output_item.done","item":{"type":"reasoning","encrypted_content":"enc_sig_123"}})"},
         {"Let me think"}, {"enc_sig_123"}},
        {"signature kept across a multi-part summary",
         {created, R"(data: {"type":"response.output_item.added","item":{"type":"reasoning","encrypted_content":"enc_sig_multipart"}})",
          R"(data: {"type":"response.reasoning_summary_part.added"})",
          R"(data: {"type":"response.reasoning_summary_text.delta","summary_index":0,"delta":"First part"})",
          R"(data: {"type":"response.reasoning_summary_part.done"})",
          R"(data: {"type":"response.reasoning_summary_part.added"})",
          R"(data: {"type":"response.reasoning_summary_text.delta","summary_index":1,"delta":"Second part"})",
          R"(data: {"type":"response.reasoning_summary_part.done"})",
          R"(data: {"type":"response.output_item.done","item":{"type":"reasoning"}})"},
         // The original writes one thinking block per part; cpa one block, parts as paragraphs.
         {"First part\n\nSecond part"}, {"enc_sig_multipart"}},
        {"the early signature when done omits it",
         {created, R"(data: {"type":"response.output_item.added","item":{"type":"reasoning","encrypted_content":"enc_sig_early"}})",
          R"(data: {"type":"response.reasoning_summary_part.added"})",
          R"(data: {"type":"response.reasoning_summary_text.delta","delta":"Let me think"})",
          R"(data: {"type":"response.output_item.done","item":{"type":"reasoning"}})"},
         {"Let me think"}, {"enc_sig_early"}},
        {"the final signature wins",
         {created, R"(data: {"type":"response.output_item.added","item":{"type":"reasoning","encrypted_content":"enc_sig_initial"}})",
          R"(data: {"type":"response.reasoning_summary_part.added"})",
          R"(data: {"type":"response.reasoning_summary_text.delta","delta":"Let me think"})",
          R"(data: {"type":"response.reasoning_summary_part.done"})",
          R"(data: {"type":"response.output_item.done","item":{"type":"reasoning","encrypted_content":"enc_sig_final"}})"},
         {"Let me think"}, {"enc_sig_final"}},
        {"a signature-only reasoning item",
         {created, R"(data: {"type":"response.output_item.added","item":{"type":"reasoning","encrypted_content":"enc_sig_initial"}})",
          R"(data: {"type":"response.output_item.done","item":{"type":"reasoning","encrypted_content":"enc_sig_only"}})",
          R"(data: {"type":"response.content_part.added"})", R"(data: {"type":"response.output_text.delta","delta":"ok"})"},
         {""}, {"enc_sig_only"}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        std::vector<std::string> lines = c.lines;
        lines.push_back(R"(data: {"type":"response.completed","response":{"usage":{"input_tokens":1,"output_tokens":1}}})");
        const ClaudeBlocks b = claudeBlocks(run(Format::Claude, Format::Responses, lines));
        EXPECT_EQ(b.thinking, c.thinking);
        EXPECT_EQ(b.signatures, c.signatures);
    }
    // Thinking with no reasoning item at all still closes a thinking block (without a signature).
    const ClaudeBlocks none = claudeBlocks(run(Format::Claude, Format::Responses,
                                               {R"(data: {"type":"response.reasoning_summary_part.added"})",
                                                R"(data: {"type":"response.reasoning_summary_text.delta","delta":"Let me think"})",
                                                R"(data: {"type":"response.reasoning_summary_part.done"})",
                                                R"(data: {"type":"response.completed","response":{"usage":{"input_tokens":1,"output_tokens":1}}})"}));
    EXPECT_EQ(none.thinking, std::vector<std::string>{"Let me think"});
}

TEST(PairVectorsCodexAnswerToClaude, NonStreamThinkingIncludesSignature) {
    const Attempt a(Format::Claude, Format::Responses, J(kClaudeClient));
    const Value out = a.reply(J(R"({"type":"response.completed","response":{"id":"resp_1","model":"gpt-5","status":"completed","output":[
        {"type":"reasoning","encrypted_content":"enc_sig_nonstream","summary":[{"type":"summary_text","text":"internal reasoning"}]},
        {"type":"message","content":[{"type":"output_text","text":"final answer"}]}],
        "usage":{"input_tokens":10,"output_tokens":5}}})"));
    EXPECT_EQ(str(out, "content.0.type"), "thinking");
    EXPECT_EQ(str(out, "content.0.thinking"), "internal reasoning");
    EXPECT_EQ(str(out, "content.0.signature"), "enc_sig_nonstream");
    EXPECT_EQ(str(out, "content.1.text"), "final answer");
}

TEST(PairVectorsCodexAnswerToClaude, StreamEmptyOutputUsesOutputItemDoneMessageFallback) {
    const ClaudeBlocks b = claudeBlocks(run(Format::Claude, Format::Responses,
                                            {R"(data: {"type":"response.created","response":{"id":"resp_1","model":"gpt-5"}})",
                                             R"(data: {"type":"response.output_item.done","item":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"ok"}]},"output_index":0})",
                                             R"(data: {"type":"response.completed","response":{"id":"resp_1","output":[],"usage":{"input_tokens":1,"output_tokens":1}}})"}));
    EXPECT_EQ(b.texts, std::vector<std::string>{"ok"});
}

TEST(PairVectorsCodexAnswerToClaude, StopReasonMapping) {
    struct Case {
        const char* response;
        bool call;
        const char* stopReason;
    };
    const Case cases[] = {
        {R"("status":"completed")", false, "end_turn"},
        {R"("status":"incomplete","incomplete_details":{"reason":"max_output_tokens"})", false, "max_tokens"},
        {R"("status":"completed","stop_sequence":"</END>")", false, "stop_sequence"},
        {R"("status":"completed")", true, "tool_use"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.response);
        const std::string output = c.call ? R"([{"type":"function_call","call_id":"call_1","name":"f","arguments":"{}"}])"
                                          : R"([{"type":"message","content":[{"type":"output_text","text":"x"}]}])";
        const std::string response = std::string(R"({"id":"resp_1",)") + c.response + R"(,"output":)" + output + "}";
        // Stream…
        const std::string type = std::string(c.response).find("incomplete") != std::string::npos ? "response.incomplete"
                                                                                                  : "response.completed";
        const ClaudeBlocks b = claudeBlocks(run(Format::Claude, Format::Responses,
                                                {"data: {\"type\":\"" + type + "\",\"response\":" + response + "}"}));
        EXPECT_EQ(b.stopReason, c.stopReason);
        // …and whole.
        const Attempt a(Format::Claude, Format::Responses, J(kClaudeClient));
        const Value out = a.reply(J(response));
        EXPECT_EQ(str(out, "stop_reason"), c.stopReason);
        if (std::string(c.stopReason) == "stop_sequence") {
            EXPECT_EQ(str(out, "stop_sequence"), "</END>");
        }
    }
}

// ---- codex → gemini (codex/gemini/…_response_test.go) -----------------------

std::vector<Value> geminiChunks(const std::vector<Frame>& fs) {
    std::vector<Value> out;
    for (const Frame& f : fs) out.push_back(f.data);
    return out;
}

TEST(PairVectorsCodexAnswerToGemini, EmptyOutputUsesOutputItemDoneMessageFallback) {
    const auto chunks = geminiChunks(run(Format::Gemini, Format::Responses,
                                         {R"(data: {"type":"response.created","response":{"id":"resp_1","model":"gpt-5"}})",
                                          R"(data: {"type":"response.output_item.done","item":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"ok"}]},"output_index":0})",
                                          R"(data: {"type":"response.completed","response":{"id":"resp_1","output":[],"usage":{"input_tokens":1,"output_tokens":1}}})"}));
    std::string text;
    for (const Value& c : chunks) text += str(c, "candidates.0.content.parts.0.text");
    EXPECT_NE(text.find("ok"), std::string::npos);
    ASSERT_FALSE(chunks.empty());
    // translation.md §5.2 L20: the last chunk finishes
    EXPECT_EQ(str(chunks.back(), "candidates.0.finishReason"), "STOP");
}

TEST(PairVectorsCodexAnswerToGemini, GeneratedImagesBecomeInlineData) {
    const auto chunks = geminiChunks(run(Format::Gemini, Format::Responses,
                                         {R"(data: {"type":"response.image_generation_call.partial_image","item_id":"ig_123","output_format":"png","partial_image_b64":"aGVsbG8=","partial_image_index":0})",
                                          R"(data: {"type":"response.output_item.done","item":{"id":"ig_123","type":"image_generation_call","output_format":"png","result":"aGVsbG8="}})",
                                          R"(data: {"type":"response.output_item.done","item":{"id":"ig_456","type":"image_generation_call","output_format":"jpeg","result":"Ymll"}})",
                                          R"(data: {"type":"response.completed","response":{"id":"resp_123","status":"completed","output":[]}})"}));
    std::vector<std::string> images;
    for (const Value& c : chunks)
        if (at(c, "candidates.0.content.parts.0.inlineData"))
            images.push_back(str(c, "candidates.0.content.parts.0.inlineData.mimeType") + ";" +
                             str(c, "candidates.0.content.parts.0.inlineData.data"));
    EXPECT_EQ(images, (std::vector<std::string>{"image/png;aGVsbG8=", "image/jpeg;Ymll"}));
    // Whole answers too.
    const Attempt a(Format::Gemini, Format::Responses, J(kGeminiClient));
    const Value out = a.reply(J(R"({"id":"resp_1","status":"completed","output":[
        {"id":"ig_1","type":"image_generation_call","output_format":"png","result":"aGVsbG8="}]})"));
    EXPECT_EQ(str(out, "candidates.0.content.parts.0.inlineData.mimeType"), "image/png");
    EXPECT_EQ(str(out, "candidates.0.content.parts.0.inlineData.data"), "aGVsbG8=");
}

}  // namespace
}  // namespace cpa::proxy::translate::pairs
