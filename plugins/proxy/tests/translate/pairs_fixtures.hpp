#pragma once
// The pair tests' shared material: one conversation written in each client
// format, and one answer written in each provider format (stream and whole).
#include "pairs_test_util.hpp"

#include <string>

namespace cpa::proxy::translate::pairs {

// ---- one conversation, four client formats ---------------------------------
// System text, two user turns (the first with a base64 image), one tool
// declared, an assistant turn with text and a tool call, and the call's result.

inline constexpr const char* kSystem = "You are terse.";
inline constexpr const char* kUser1 = "What is in this picture?";
inline constexpr const char* kAssistant = "A cat. Checking the weather.";
inline constexpr const char* kUser2 = "And tomorrow?";
inline constexpr const char* kResult = "sunny, 21 °C";
inline constexpr const char* kImageMime = "image/png";
inline constexpr const char* kImageData = "iVBORw0KGgoAAAANSUhEUg==";
inline constexpr const char* kArgs = R"({"city":"Paris","days":3})";
inline constexpr const char* kSchema =
    R"({"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city"]})";

inline Value conversationBody(Format f) {
    const std::string schema = kSchema;
    switch (f) {
        case Format::OpenAIChat:
            return J(R"({"model":"client-model","messages":[
                {"role":"system","content":"You are terse."},
                {"role":"user","content":[{"type":"text","text":"What is in this picture?"},
                    {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="}}]},
                {"role":"assistant","content":"A cat. Checking the weather.","tool_calls":[{"id":"call_w1","type":"function",
                    "function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"days\":3}"}}]},
                {"role":"tool","tool_call_id":"call_w1","content":"sunny, 21 °C"},
                {"role":"user","content":"And tomorrow?"}],
              "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather by city","parameters":)" +
                     schema + "}}]}");
        case Format::Responses:
            return J(R"({"model":"client-model","instructions":"You are terse.","input":[
                {"type":"message","role":"user","content":[{"type":"input_text","text":"What is in this picture?"},
                    {"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="}]},
                {"type":"message","role":"assistant","content":[{"type":"output_text","text":"A cat. Checking the weather."}]},
                {"type":"function_call","call_id":"call_w1","name":"get_weather","arguments":"{\"city\":\"Paris\",\"days\":3}"},
                {"type":"function_call_output","call_id":"call_w1","output":"sunny, 21 °C"},
                {"type":"message","role":"user","content":[{"type":"input_text","text":"And tomorrow?"}]}],
              "tools":[{"type":"function","name":"get_weather","description":"Weather by city","parameters":)" +
                     schema + "}]}");
        case Format::Claude:
            return J(R"({"model":"client-model","max_tokens":1024,"system":"You are terse.","messages":[
                {"role":"user","content":[{"type":"text","text":"What is in this picture?"},
                    {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgoAAAANSUhEUg=="}}]},
                {"role":"assistant","content":[{"type":"text","text":"A cat. Checking the weather."},
                    {"type":"tool_use","id":"call_w1","name":"get_weather","input":{"city":"Paris","days":3}}]},
                {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_w1","content":"sunny, 21 °C"},
                    {"type":"text","text":"And tomorrow?"}]}],
              "tools":[{"name":"get_weather","description":"Weather by city","input_schema":)" +
                     schema + "}]}");
        case Format::Gemini:
            // Gemini's documented key for a function's output is "output".
            return J(R"({"systemInstruction":{"parts":[{"text":"You are terse."}]},"contents":[
                {"role":"user","parts":[{"text":"What is in this picture?"},
                    {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgoAAAANSUhEUg=="}}]},
                {"role":"model","parts":[{"text":"A cat. Checking the weather."},
                    {"functionCall":{"name":"get_weather","args":{"city":"Paris","days":3}}}]},
                {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"output":"sunny, 21 °C"}}},
                    {"text":"And tomorrow?"}]}],
              "tools":[{"functionDeclarations":[{"name":"get_weather","description":"Weather by city","parameters":)" +
                     schema + "}]}]}");
    }
    return Value();
}

/// A short request (one user text, the tool declared) for the answer tests.
inline Value shortBody(Format f) {
    const std::string schema = kSchema;
    switch (f) {
        case Format::OpenAIChat:
            return J(R"({"model":"client-model","messages":[{"role":"user","content":"Weather in Paris?"}],
              "tools":[{"type":"function","function":{"name":"get_weather","parameters":)" + schema + "}}]}");
        case Format::Responses:
            return J(R"({"model":"client-model","input":"Weather in Paris?",
              "tools":[{"type":"function","name":"get_weather","parameters":)" + schema + "}]}");
        case Format::Claude:
            return J(R"({"model":"client-model","max_tokens":1024,"messages":[{"role":"user","content":"Weather in Paris?"}],
              "tools":[{"name":"get_weather","input_schema":)" + schema + "}]}");
        case Format::Gemini:
            return J(R"({"contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]}],
              "tools":[{"functionDeclarations":[{"name":"get_weather","parameters":)" + schema + "}]}]}");
    }
    return Value();
}

// ---- one answer, four provider formats -------------------------------------
// Text "héllo 👋 世界" in three deltas, then (withTool) get_weather with
// {"city":"Paris","days":3} split across three chunks (Gemini sends calls
// whole), the finish, and usage: 20 input tokens of which 5 cached, 34 output.
// Without the tool the answer is cut by the token limit.

inline constexpr const char* kText = "héllo 👋 世界";
inline constexpr std::int64_t kInput = 20, kCached = 5, kOutput = 34;

inline std::string chatStream(bool withTool) {
    const std::string head = R"(data: {"id":"chatcmpl-up1","object":"chat.completion.chunk","created":1700000000,"model":"upstream-model","choices":[)";
    auto chunk = [&](const std::string& choice) { return head + choice + "]}\n\n"; };
    std::string s = chunk(R"({"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null})");
    s += chunk(R"({"index":0,"delta":{"content":"héllo "},"finish_reason":null})");
    s += chunk(R"({"index":0,"delta":{"content":"👋 "},"finish_reason":null})");
    s += chunk(R"({"index":0,"delta":{"content":"世界"},"finish_reason":null})");
    if (withTool) {
        s += chunk(R"({"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_w1","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null})");
        s += chunk(R"({"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]},"finish_reason":null})");
        s += chunk(R"({"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\","}}]},"finish_reason":null})");
        s += chunk(R"({"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"days\":3}"}}]},"finish_reason":null})");
    }
    s += chunk(std::string(R"({"index":0,"delta":{},"finish_reason":")") + (withTool ? "tool_calls" : "length") + "\"}");
    s += R"(data: {"id":"chatcmpl-up1","object":"chat.completion.chunk","created":1700000000,"model":"upstream-model","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":34,"total_tokens":54,"prompt_tokens_details":{"cached_tokens":5}}})"
         "\n\n";
    s += "data: [DONE]\n\n";
    return s;
}

inline std::string responsesStream(bool withTool) {
    std::string s;
    auto ev = [&](const std::string& type, const std::string& rest) {
        s += "event: " + type + "\ndata: {\"type\":\"" + type + "\"," + rest + "}\n\n";
    };
    ev("response.created", R"("response":{"id":"resp_up1","object":"response","model":"upstream-model","status":"in_progress","output":[]})");
    ev("response.in_progress", R"("response":{"id":"resp_up1","object":"response","model":"upstream-model","status":"in_progress","output":[]})");
    ev("response.output_item.added", R"("output_index":0,"item":{"id":"msg_up1","type":"message","role":"assistant","status":"in_progress","content":[]})");
    ev("response.content_part.added", R"("item_id":"msg_up1","output_index":0,"content_index":0,"part":{"type":"output_text","text":""})");
    for (const char* d : {"héllo ", "👋 ", "世界"})
        ev("response.output_text.delta", std::string(R"("item_id":"msg_up1","output_index":0,"content_index":0,"delta":")") + d + "\"");
    ev("response.output_text.done", R"("item_id":"msg_up1","output_index":0,"content_index":0,"text":"héllo 👋 世界")");
    const std::string message = R"({"id":"msg_up1","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":"héllo 👋 世界","annotations":[]}]})";
    ev("response.output_item.done", R"("output_index":0,"item":)" + message);
    std::string output = message;
    if (withTool) {
        ev("response.output_item.added", R"("output_index":1,"item":{"id":"fc_up1","type":"function_call","status":"in_progress","call_id":"call_w1","name":"get_weather","arguments":""})");
        for (const char* d : {R"({\"city\":)", R"(\"Paris\",)", R"(\"days\":3})"})
            ev("response.function_call_arguments.delta", std::string(R"("item_id":"fc_up1","output_index":1,"delta":")") + d + "\"");
        ev("response.function_call_arguments.done", R"("item_id":"fc_up1","output_index":1,"arguments":"{\"city\":\"Paris\",\"days\":3}")");
        const std::string call = R"({"id":"fc_up1","type":"function_call","status":"completed","call_id":"call_w1","name":"get_weather","arguments":"{\"city\":\"Paris\",\"days\":3}"})";
        ev("response.output_item.done", R"("output_index":1,"item":)" + call);
        output += "," + call;
    }
    const std::string usage = R"("usage":{"input_tokens":20,"input_tokens_details":{"cached_tokens":5},"output_tokens":34,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":54})";
    if (withTool)
        ev("response.completed", R"("response":{"id":"resp_up1","object":"response","model":"upstream-model","status":"completed","output":[)" + output + "]," + usage + "}");
    else
        ev("response.incomplete", R"("response":{"id":"resp_up1","object":"response","model":"upstream-model","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"output":[)" + output + "]," + usage + "}");
    return s;
}

inline std::string claudeStream(bool withTool) {
    std::string s;
    auto ev = [&](const std::string& type, const std::string& rest) {
        s += "event: " + type + "\ndata: {\"type\":\"" + type + "\"" + (rest.empty() ? "" : "," + rest) + "}\n\n";
    };
    ev("message_start", R"("message":{"id":"msg_up1","type":"message","role":"assistant","model":"upstream-model","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":15,"cache_read_input_tokens":5,"cache_creation_input_tokens":0,"output_tokens":1}})");
    ev("content_block_start", R"("index":0,"content_block":{"type":"text","text":""})");
    ev("ping", "");
    for (const char* d : {"héllo ", "👋 ", "世界"})
        ev("content_block_delta", std::string(R"("index":0,"delta":{"type":"text_delta","text":")") + d + "\"}");
    ev("content_block_stop", R"("index":0)");
    if (withTool) {
        ev("content_block_start", R"("index":1,"content_block":{"type":"tool_use","id":"call_w1","name":"get_weather","input":{}})");
        ev("content_block_delta", R"("index":1,"delta":{"type":"input_json_delta","partial_json":""})");
        for (const char* d : {R"({\"city\":)", R"(\"Paris\",)", R"(\"days\":3})"})
            ev("content_block_delta", std::string(R"("index":1,"delta":{"type":"input_json_delta","partial_json":")") + d + "\"}");
        ev("content_block_stop", R"("index":1)");
    }
    ev("message_delta", std::string(R"("delta":{"stop_reason":")") + (withTool ? "tool_use" : "max_tokens") +
                            R"(","stop_sequence":null},"usage":{"output_tokens":34})");
    ev("message_stop", "");
    return s;
}

inline std::string geminiStream(bool withTool) {
    std::string s;
    auto chunk = [&](const std::string& candidate, const std::string& usage) {
        s += R"(data: {"candidates":[)" + candidate + "]" + (usage.empty() ? "" : ",\"usageMetadata\":" + usage) +
             R"(,"modelVersion":"upstream-model","responseId":"up1"})" + "\n\n";
    };
    auto text = [](const std::string& t) { return R"({"content":{"role":"model","parts":[{"text":")" + t + R"("}]},"index":0})"; };
    chunk(text("héllo "), R"({"promptTokenCount":20,"totalTokenCount":20})");
    chunk(text("👋 "), "");
    chunk(text("世界"), "");
    if (withTool)
        chunk(R"({"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris","days":3}}}]},"index":0})", "");
    chunk(std::string(R"({"content":{"role":"model","parts":[{"text":""}]},"finishReason":")") +
              (withTool ? "STOP" : "MAX_TOKENS") + R"(","index":0})",
          R"({"promptTokenCount":20,"candidatesTokenCount":34,"totalTokenCount":54,"cachedContentTokenCount":5})");
    return s;
}

inline std::string providerStream(Format f, bool withTool) {
    switch (f) {
        case Format::OpenAIChat: return chatStream(withTool);
        case Format::Responses: return responsesStream(withTool);
        case Format::Claude: return claudeStream(withTool);
        case Format::Gemini: return geminiStream(withTool);
    }
    return {};
}

/// The whole answer in each provider format (what the executor hands translateReply;
/// for codex, the `response` the collector assembles from response.completed).
inline Value providerReply(Format f, bool withTool) {
    switch (f) {
        case Format::OpenAIChat:
            return J(std::string(R"({"id":"chatcmpl-up1","object":"chat.completion","created":1700000000,"model":"upstream-model",
                "choices":[{"index":0,"message":{"role":"assistant","content":"héllo 👋 世界")") +
                     (withTool ? R"(,"tool_calls":[{"id":"call_w1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"days\":3}"}}])" : "") +
                     R"(},"finish_reason":")" + (withTool ? "tool_calls" : "length") + R"("}],
                "usage":{"prompt_tokens":20,"completion_tokens":34,"total_tokens":54,"prompt_tokens_details":{"cached_tokens":5}}})");
        case Format::Responses:
            return J(std::string(R"({"id":"resp_up1","object":"response","created_at":1700000000,"model":"upstream-model",)") +
                     (withTool ? R"("status":"completed",)" : R"("status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},)") +
                     R"("output":[{"id":"msg_up1","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":"héllo 👋 世界","annotations":[]}]})" +
                     (withTool ? R"(,{"id":"fc_up1","type":"function_call","status":"completed","call_id":"call_w1","name":"get_weather","arguments":"{\"city\":\"Paris\",\"days\":3}"})" : "") +
                     R"(],"usage":{"input_tokens":20,"input_tokens_details":{"cached_tokens":5},"output_tokens":34,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":54}})");
        case Format::Claude:
            return J(std::string(R"({"id":"msg_up1","type":"message","role":"assistant","model":"upstream-model",
                "content":[{"type":"text","text":"héllo 👋 世界"})") +
                     (withTool ? R"(,{"type":"tool_use","id":"call_w1","name":"get_weather","input":{"city":"Paris","days":3}})" : "") +
                     R"(],"stop_reason":")" + (withTool ? "tool_use" : "max_tokens") + R"(","stop_sequence":null,
                "usage":{"input_tokens":15,"cache_read_input_tokens":5,"cache_creation_input_tokens":0,"output_tokens":34}})");
        case Format::Gemini:
            return J(std::string(R"({"candidates":[{"content":{"role":"model","parts":[{"text":"héllo 👋 世界"})") +
                     (withTool ? R"(,{"functionCall":{"name":"get_weather","args":{"city":"Paris","days":3}}})" : "") +
                     R"(]},"finishReason":")" + (withTool ? "STOP" : "MAX_TOKENS") + R"(","index":0}],
                "usageMetadata":{"promptTokenCount":20,"candidatesTokenCount":34,"totalTokenCount":54,"cachedContentTokenCount":5},
                "modelVersion":"upstream-model","responseId":"up1"})");
    }
    return Value();
}

}  // namespace cpa::proxy::translate::pairs
