// The Responses codec, provider stream: codex events → canonical events.
#include "responses_test_util.hpp"

namespace cpa::proxy::translate {
namespace {

using namespace rtest;

struct DecRun {
    Exchange ex;
    std::unique_ptr<StreamDecoder> dec;
    std::vector<Event> out;
    DecRun() { dec = responses().streamDecoder(ex); }
    DecRun& feed(std::string_view payload) {
        dec->feed(payload, out);
        return *this;
    }
    std::vector<Event>& end() {
        dec->finish(out);
        return out;
    }
};

std::vector<Event> only(const std::vector<Event>& es, Event::Type t) {
    std::vector<Event> r;
    for (const Event& e : es)
        if (e.type == t) r.push_back(e);
    return r;
}

std::string joined(const std::vector<Event>& es, Event::Type t) {
    std::string s;
    for (const Event& e : only(es, t)) s += e.text;
    return s;
}

TEST(ResponsesStreamDecoder, TextStreamStartDeltasUsageAndFinish) {
    DecRun r;
    r.feed(R"({"type":"response.created","response":{"id":"resp_123","model":"gpt-5","status":"in_progress"}})");
    r.feed(R"({"type":"response.in_progress","response":{"id":"resp_123"}})");
    r.feed(R"({"type":"response.output_item.added","output_index":0,"item":{"id":"msg_1","type":"message","content":[]}})");
    for (const char* d : {"h", "é", "llo ", "👋", " 世", "界"}) {
        std::string payload = R"({"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"delta":")";
        payload += d;
        payload += R"("})";
        r.feed(payload);
    }
    r.feed(R"({"type":"response.output_item.done","output_index":0,"item":{"id":"msg_1","type":"message","content":[{"type":"output_text","text":"héllo 👋 世界"}]}})");
    r.feed(R"({"type":"response.completed","response":{"id":"resp_123","status":"completed","usage":{"input_tokens":9,
        "input_tokens_details":{"cached_tokens":3},"output_tokens":4,"output_tokens_details":{"reasoning_tokens":1},"total_tokens":13}}})");
    r.feed("[DONE]");
    const auto& es = r.end();
    ASSERT_FALSE(es.empty());
    EXPECT_EQ(es.front().type, Event::Type::Start);
    EXPECT_EQ(es.front().id, "resp_123");
    EXPECT_EQ(es.front().model, "gpt-5");
    EXPECT_EQ(only(es, Event::Type::TextDelta).size(), 6u);  // no repeat from output_item.done
    EXPECT_EQ(joined(es, Event::Type::TextDelta), "héllo 👋 世界");
    const auto u = only(es, Event::Type::Usage);
    ASSERT_EQ(u.size(), 1u);
    EXPECT_EQ(u[0].usage.input, 9);
    EXPECT_EQ(u[0].usage.cachedInput, 3);
    EXPECT_EQ(u[0].usage.output, 4);
    EXPECT_EQ(u[0].usage.reasoning, 1);
    EXPECT_EQ(es.back().type, Event::Type::Finish);
    EXPECT_EQ(es.back().reason, FinishReason::Stop);
    EXPECT_TRUE(only(es, Event::Type::Error).empty());
}

TEST(ResponsesStreamDecoder, ToolCallsWithSplitArgumentsAndNamesMappedBack) {
    DecRun r;
    r.ex.toolNameBack["short"] = "the_original_long_name";
    r.dec = responses().streamDecoder(r.ex);
    r.feed(R"({"type":"response.output_item.added","output_index":0,"item":{"id":"fc_1","type":"function_call","call_id":"call_1","name":"short","arguments":""}})");
    for (const char* piece : {R"({\"q\")", R"(:\"Open)", R"(AI\"})"}) {
        std::string payload = R"({"type":"response.function_call_arguments.delta","item_id":"fc_1","output_index":0,"delta":")";
        payload += piece;
        payload += R"("})";
        r.feed(payload);
    }
    r.feed(R"({"type":"response.function_call_arguments.done","item_id":"fc_1","output_index":0,"arguments":"{\"q\":\"OpenAI\"}"})");
    r.feed(R"({"type":"response.output_item.done","output_index":0,"item":{"id":"fc_1","type":"function_call","call_id":"call_1","name":"short","arguments":"{\"q\":\"OpenAI\"}"}})");
    r.feed(R"({"type":"response.output_item.added","output_index":1,"item":{"id":"fc_2","type":"function_call","call_id":"call_2","name":"other"}})");
    r.feed(R"({"type":"response.function_call_arguments.delta","item_id":"fc_2","output_index":1,"delta":"{}"})");
    r.feed(R"({"type":"response.completed","response":{"status":"completed"}})");
    const auto& es = r.end();
    const auto starts = only(es, Event::Type::ToolCallStart);
    ASSERT_EQ(starts.size(), 2u);
    EXPECT_EQ(starts[0].index, 0);
    EXPECT_EQ(starts[0].callId, "call_1");
    EXPECT_EQ(starts[0].name, "the_original_long_name");
    EXPECT_EQ(starts[1].index, 1);
    EXPECT_EQ(starts[1].name, "other");
    std::string first, second;
    for (const Event& e : only(es, Event::Type::ToolCallDelta)) (e.index == 0 ? first : second) += e.text;
    EXPECT_EQ(first, R"({"q":"OpenAI"})");  // .done and output_item.done add nothing
    EXPECT_EQ(second, "{}");
    EXPECT_EQ(es.back().reason, FinishReason::ToolCalls);
}

TEST(ResponsesStreamDecoder, ArgumentsThatArriveOnlyWhole) {
    DecRun a;  // only in function_call_arguments.done
    a.feed(R"({"type":"response.output_item.added","item":{"type":"function_call","call_id":"call_1","name":"f"}})");
    a.feed(R"({"type":"response.function_call_arguments.done","arguments":"{\"a\":1}"})");
    a.feed(R"({"type":"response.output_item.done","item":{"type":"function_call","call_id":"call_1","name":"f","arguments":"{\"a\":1}"}})");
    EXPECT_EQ(joined(a.out, Event::Type::ToolCallDelta), R"({"a":1})");

    DecRun b;  // only in output_item.done, never announced
    b.feed(R"({"type":"response.output_item.done","output_index":2,"item":{"type":"function_call","call_id":"call_7","name":"g","arguments":"{\"b\":2}"}})");
    ASSERT_EQ(only(b.out, Event::Type::ToolCallStart).size(), 1u);
    EXPECT_EQ(only(b.out, Event::Type::ToolCallStart)[0].callId, "call_7");
    EXPECT_EQ(joined(b.out, Event::Type::ToolCallDelta), R"({"b":2})");
}

TEST(ResponsesStreamDecoder, EmptyOutputUsesTheOutputItemDoneMessage) {
    // Vector of StreamEmptyOutputUsesOutputItemDoneMessageFallback.
    DecRun r;
    r.feed(R"({"type":"response.created","response":{"id":"resp_1","model":"gpt-5"}})");
    r.feed(R"({"type":"response.output_item.done","item":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"ok"}]},"output_index":0})");
    r.feed(R"({"type":"response.completed","response":{"usage":{"input_tokens":1,"output_tokens":1}}})");
    EXPECT_EQ(joined(r.end(), Event::Type::TextDelta), "ok");
}

TEST(ResponsesStreamDecoder, ThinkingSignatureFromDoneReplacesTheEarlyOne) {
    // Vectors of StreamThinkingIncludesSignature / UsesFinalDoneSignature / UsesEarlyCapturedSignature.
    DecRun a;
    a.feed(R"({"type":"response.output_item.added","item":{"type":"reasoning","encrypted_content":"enc_sig_initial"}})");
    a.feed(R"({"type":"response.reasoning_summary_part.added"})");
    a.feed(R"({"type":"response.reasoning_summary_text.delta","delta":"Let me think"})");
    a.feed(R"({"type":"response.reasoning_summary_part.done"})");
    a.feed(R"({"type":"response.output_item.done","item":{"type":"reasoning","encrypted_content":"enc_sig_final"}})");
    ASSERT_EQ(a.out.size(), 2u);
    EXPECT_EQ(a.out[0].type, Event::Type::ThinkingDelta);
    EXPECT_EQ(a.out[0].text, "Let me think");
    EXPECT_EQ(a.out[1].type, Event::Type::ThinkingSignature);
    EXPECT_EQ(a.out[1].text, "enc_sig_final");

    DecRun b;
    b.feed(R"({"type":"response.output_item.added","item":{"type":"reasoning","encrypted_content":"enc_sig_early"}})");
    b.feed(R"({"type":"response.reasoning_summary_text.delta","delta":"Let me think"})");
    b.feed(R"({"type":"response.output_item.done","item":{"type":"reasoning"}})");
    ASSERT_EQ(only(b.out, Event::Type::ThinkingSignature).size(), 1u);
    EXPECT_EQ(only(b.out, Event::Type::ThinkingSignature)[0].text, "enc_sig_early");

    DecRun c;  // no encrypted content anywhere: no signature event
    c.feed(R"({"type":"response.reasoning_summary_text.delta","delta":"x"})");
    c.feed(R"({"type":"response.completed","response":{"usage":{"input_tokens":1,"output_tokens":1}}})");
    EXPECT_TRUE(only(c.out, Event::Type::ThinkingSignature).empty());
}

TEST(ResponsesStreamDecoder, MultipartSummariesAndSignatureOnlyReasoning) {
    DecRun a;
    a.feed(R"({"type":"response.output_item.added","item":{"type":"reasoning","encrypted_content":"enc_sig_multipart"}})");
    a.feed(R"({"type":"response.reasoning_summary_text.delta","summary_index":0,"delta":"First part"})");
    a.feed(R"({"type":"response.reasoning_summary_text.delta","summary_index":1,"delta":"Second part"})");
    a.feed(R"({"type":"response.output_item.done","item":{"type":"reasoning"}})");
    EXPECT_EQ(joined(a.out, Event::Type::ThinkingDelta), "First part\n\nSecond part");
    EXPECT_EQ(only(a.out, Event::Type::ThinkingSignature)[0].text, "enc_sig_multipart");

    DecRun b;  // Vector of StreamSignatureOnlyReasoningEmitsThinkingSignature.
    b.feed(R"({"type":"response.output_item.added","item":{"type":"reasoning","encrypted_content":"enc_sig_initial"}})");
    b.feed(R"({"type":"response.output_item.done","item":{"type":"reasoning","encrypted_content":"enc_sig_only"}})");
    b.feed(R"({"type":"response.content_part.added"})");
    b.feed(R"({"type":"response.output_text.delta","delta":"ok"})");
    ASSERT_EQ(b.out.size(), 2u);
    EXPECT_EQ(b.out[0].type, Event::Type::ThinkingSignature);
    EXPECT_EQ(b.out[0].text, "enc_sig_only");
    EXPECT_EQ(b.out[1].type, Event::Type::TextDelta);

    DecRun c;  // summary only in the done item
    c.feed(R"({"type":"response.output_item.done","item":{"type":"reasoning","summary":[{"type":"summary_text","text":"whole"}]}})");
    EXPECT_EQ(joined(c.out, Event::Type::ThinkingDelta), "whole");
}

TEST(ResponsesStreamDecoder, StopReasonMapping) {
    // Vectors of StreamStopReasonMapping / StreamStopSequenceMapping.
    auto last = [](std::vector<std::string_view> payloads) {
        DecRun r;
        for (auto p : payloads) r.feed(p);
        return r.end().back();
    };
    EXPECT_EQ(last({R"({"type":"response.completed","response":{"stop_reason":"stop","usage":{"input_tokens":1,"output_tokens":1}}})"})
                  .reason,
              FinishReason::Stop);
    EXPECT_EQ(last({R"({"type":"response.incomplete","response":{"incomplete_details":{"reason":"max_output_tokens"}}})"}).reason,
              FinishReason::Length);
    EXPECT_EQ(last({R"({"type":"response.output_item.added","item":{"type":"function_call","call_id":"call_1","name":"lookup"}})",
                    R"({"type":"response.completed","response":{"stop_reason":"stop"}})"})
                  .reason,
              FinishReason::ToolCalls);
    EXPECT_EQ(last({R"({"type":"response.incomplete","response":{"incomplete_details":{"reason":"content_filter"}}})"}).reason,
              FinishReason::ContentFilter);
    const Event seq = last({R"({"type":"response.completed","response":{"stop_reason":"stop","stop_sequence":"\nEND"}})"});
    EXPECT_EQ(seq.reason, FinishReason::StopSequence);
    EXPECT_EQ(seq.stopSequence, "\nEND");
}

TEST(ResponsesStreamDecoder, ImagesAreDeduplicatedPerItem) {
    // Vectors of StreamPartialImageEmitsDeltaImages / StreamImageGenerationCallDoneEmitsDeltaImages.
    DecRun r;
    const char* partial = R"({"type":"response.image_generation_call.partial_image","item_id":"ig_123","output_format":"png","partial_image_b64":"aGVsbG8=","partial_image_index":0})";
    r.feed(partial).feed(partial);
    r.feed(R"({"type":"response.output_item.done","item":{"id":"ig_123","type":"image_generation_call","output_format":"png","result":"aGVsbG8="}})");
    r.feed(R"({"type":"response.output_item.done","item":{"id":"ig_123","type":"image_generation_call","output_format":"jpeg","result":"Ymll"}})");
    const auto imgs = only(r.out, Event::Type::ImageData);
    ASSERT_EQ(imgs.size(), 2u);
    EXPECT_EQ(imgs[0].name, "image/png");
    EXPECT_EQ(imgs[0].text, "aGVsbG8=");
    EXPECT_EQ(imgs[1].name, "image/jpeg");
    EXPECT_EQ(imgs[1].text, "Ymll");
}

TEST(ResponsesStreamDecoder, ACompletedEventAloneIsReplayed) {
    DecRun r;
    r.feed(R"({"type":"response.completed","response":{"output":[
        {"type":"message","content":[{"type":"output_text","text":"all at once"}]},
        {"type":"function_call","call_id":"call_1","name":"f","arguments":"{}"}]}})");
    const auto& es = r.end();
    EXPECT_EQ(joined(es, Event::Type::TextDelta), "all at once");
    ASSERT_EQ(only(es, Event::Type::ToolCallStart).size(), 1u);
    EXPECT_EQ(joined(es, Event::Type::ToolCallDelta), "{}");
    EXPECT_EQ(es.back().reason, FinishReason::ToolCalls);
}

TEST(ResponsesStreamDecoder, ErrorsInvalidJsonAndTruncation) {
    DecRun bad;
    bad.feed("{not json");
    ASSERT_EQ(bad.out.size(), 1u);
    EXPECT_EQ(bad.out[0].type, Event::Type::Error);
    EXPECT_FALSE(bad.out[0].text.empty());

    DecRun failed;
    failed.feed(R"({"type":"response.failed","response":{"status":"failed","error":{"code":"rate_limit_exceeded","message":"slow down"}}})");
    ASSERT_EQ(failed.end().size(), 1u);
    EXPECT_EQ(failed.out[0].type, Event::Type::Error);
    EXPECT_EQ(failed.out[0].text, "slow down");
    EXPECT_EQ(failed.out[0].index, 429);

    DecRun err;
    err.feed(R"({"type":"error","code":"server_error","message":"oops","sequence_number":3})");
    ASSERT_EQ(err.out.size(), 1u);
    EXPECT_EQ(err.out[0].text, "oops");
    EXPECT_EQ(err.out[0].index, 500);

    DecRun cut;  // no response.completed: an upstream failure, not a normal stop
    cut.feed(R"({"type":"response.output_text.delta","delta":"par"})");
    const auto& es = cut.end();
    EXPECT_EQ(es.back().type, Event::Type::Error);
    EXPECT_EQ(es.back().index, 408);
    EXPECT_TRUE(only(es, Event::Type::Finish).empty());

    DecRun empty;
    EXPECT_TRUE(empty.end().empty());
}

}  // namespace
}  // namespace cpa::proxy::translate
