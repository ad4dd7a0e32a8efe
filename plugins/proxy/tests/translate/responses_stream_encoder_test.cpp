// The Responses codec, client stream: canonical events → Responses SSE events.
#include "responses_test_util.hpp"

#include <algorithm>
#include <set>

namespace cpa::proxy::translate {
namespace {

using namespace rtest;
using cpa::sdk::Value;

Event ev(Event::Type t, std::string text = {}, int index = 0) {
    Event e;
    e.type = t;
    e.text = std::move(text);
    e.index = index;
    return e;
}

Event start(std::string id = "resp_up", std::string model = "up-model") {
    Event e = ev(Event::Type::Start);
    e.id = std::move(id);
    e.model = std::move(model);
    return e;
}

Event callStart(int index, std::string id, std::string name) {
    Event e = ev(Event::Type::ToolCallStart, {}, index);
    e.callId = std::move(id);
    e.name = std::move(name);
    return e;
}

Event finish(FinishReason r) {
    Event e = ev(Event::Type::Finish);
    e.reason = r;
    return e;
}

Event usage(std::int64_t in, std::int64_t out) {
    Event e = ev(Event::Type::Usage);
    e.usage.present = true;
    e.usage.input = in;
    e.usage.output = out;
    return e;
}

struct EncRun {
    Exchange ex;
    std::unique_ptr<StreamEncoder> enc;
    std::string out;
    EncRun() {
        ex.clientModel = "gpt-5";
        enc = responses().streamEncoder(ex);
    }
    EncRun& feed(const Event& e) {
        enc->encode(e, out);
        return *this;
    }
    std::vector<Frame> end() {
        enc->finish(out);
        return frames(out);
    }
};

const Frame* find(const std::vector<Frame>& fs, std::string_view name, std::size_t nth = 0) {
    for (const Frame& f : fs)
        if (f.event == name && nth-- == 0) return &f;
    return nullptr;
}

TEST(ResponsesStreamEncoder, TextStreamHasTheFullEventSequence) {
    EncRun r;
    r.feed(start()).feed(ev(Event::Type::TextDelta, "Hel")).feed(ev(Event::Type::TextDelta, "lo"));
    r.feed(finish(FinishReason::Stop)).feed(usage(5, 2));
    const auto fs = r.end();
    const std::vector<std::string> want = {"response.created",           "response.in_progress",
                                           "response.output_item.added", "response.content_part.added",
                                           "response.output_text.delta", "response.output_text.delta",
                                           "response.output_text.done",  "response.content_part.done",
                                           "response.output_item.done",  "response.completed"};
    EXPECT_EQ(eventNames(fs), want);
    for (std::size_t i = 0; i < fs.size(); ++i) EXPECT_EQ(at(fs[i].data, "sequence_number").asInt(), (std::int64_t)i);
    EXPECT_EQ(at(fs[0].data, "response.id").asString(), "resp_up");
    EXPECT_EQ(at(fs[0].data, "response.status").asString(), "in_progress");
    EXPECT_EQ(at(fs[0].data, "response.model").asString(), "gpt-5");
    EXPECT_EQ(at(fs[2].data, "item.type").asString(), "message");
    EXPECT_EQ(at(fs[2].data, "item.status").asString(), "in_progress");
    const std::string itemId = at(fs[2].data, "item.id").asString();
    EXPECT_EQ(itemId.rfind("msg_", 0), 0u);
    EXPECT_EQ(at(fs[4].data, "item_id").asString(), itemId);
    EXPECT_EQ(at(fs[4].data, "output_index").asInt(), 0);
    EXPECT_EQ(at(fs[4].data, "content_index").asInt(), 0);
    EXPECT_EQ(at(fs[4].data, "delta").asString(), "Hel");
    EXPECT_EQ(at(fs[6].data, "text").asString(), "Hello");
    EXPECT_EQ(at(fs[7].data, "part.text").asString(), "Hello");
    EXPECT_EQ(at(fs[8].data, "item.content.0.text").asString(), "Hello");
    const Value resp = at(fs[9].data, "response");
    EXPECT_EQ(at(resp, "status").asString(), "completed");
    EXPECT_EQ(at(resp, "output.0.content.0.text").asString(), "Hello");
    EXPECT_EQ(at(resp, "usage.input_tokens").asInt(), 5);
    EXPECT_EQ(at(resp, "usage.total_tokens").asInt(), 7);
}

TEST(ResponsesStreamEncoder, FramesAreWrittenAsEventsArrive) {
    EncRun r;
    r.feed(ev(Event::Type::TextDelta, "a"));  // no Start: the preamble comes first
    auto fs = frames(r.out);
    ASSERT_EQ(fs.size(), 5u);
    EXPECT_EQ(fs[0].event, "response.created");
    EXPECT_EQ(at(fs[0].data, "response.id").asString().rfind("resp_", 0), 0u);
    EXPECT_EQ(fs[4].event, "response.output_text.delta");
    const std::size_t before = r.out.size();
    r.feed(ev(Event::Type::TextDelta, "b"));
    EXPECT_GT(r.out.size(), before);
    r.feed(finish(FinishReason::Stop));
    EXPECT_EQ(r.out.find("response.completed"), std::string::npos);  // waits for finish() (usage may follow)
}

TEST(ResponsesStreamEncoder, MultiByteTextSurvivesSplitDeltas) {
    EncRun r;
    for (const char* piece : {"h", "é", "llo ", "👋", " 世", "界"}) r.feed(ev(Event::Type::TextDelta, piece));
    const auto fs = r.end();
    std::string joined;
    for (const Frame& f : fs)
        if (f.event == "response.output_text.delta") joined += at(f.data, "delta").asString();
    EXPECT_EQ(joined, "héllo 👋 世界");
    EXPECT_EQ(at(find(fs, "response.output_text.done")->data, "text").asString(), "héllo 👋 世界");
}

TEST(ResponsesStreamEncoder, ToolCallArgumentsSplitAcrossManyChunks) {
    EncRun r;
    r.feed(start()).feed(callStart(0, "call_read", "read"));
    const std::string args = R"({"filePath":"C:\\repo","limit":400,"offset":1})";
    for (std::size_t i = 0; i < args.size(); i += 3) r.feed(ev(Event::Type::ToolCallDelta, args.substr(i, 3), 0));
    r.feed(finish(FinishReason::ToolCalls));
    const auto fs = r.end();
    const Frame* added = find(fs, "response.output_item.added");
    ASSERT_TRUE(added);
    EXPECT_EQ(at(added->data, "item.type").asString(), "function_call");
    EXPECT_EQ(at(added->data, "item.id").asString(), "fc_call_read");
    EXPECT_EQ(at(added->data, "item.call_id").asString(), "call_read");
    EXPECT_EQ(at(added->data, "item.name").asString(), "read");
    std::string joined;
    for (const Frame& f : fs)
        if (f.event == "response.function_call_arguments.delta") {
            EXPECT_EQ(at(f.data, "item_id").asString(), "fc_call_read");
            joined += at(f.data, "delta").asString();
        }
    EXPECT_EQ(joined, args);
    EXPECT_EQ(at(find(fs, "response.function_call_arguments.done")->data, "arguments").asString(), args);
    EXPECT_EQ(at(find(fs, "response.output_item.done")->data, "item.arguments").asString(), args);
    EXPECT_EQ(at(json(args), "filePath").asString(), "C:\\repo");
    EXPECT_EQ(at(find(fs, "response.completed")->data, "response.output.0.arguments").asString(), args);
}

TEST(ResponsesStreamEncoder, MultipleToolCallsRemainSeparateAndAscending) {
    // Vectors of MultipleToolCallsRemainSeparate and FunctionCallDoneAndCompletedOutputStayAscending.
    EncRun r;
    r.feed(start()).feed(callStart(0, "call_glob", "glob"));
    r.feed(ev(Event::Type::ToolCallDelta, R"({"path":"C:\\repo",)", 0)).feed(ev(Event::Type::ToolCallDelta, R"("pattern":"*.go"})", 0));
    r.feed(callStart(1, "call_read", "read")).feed(ev(Event::Type::ToolCallDelta, R"({"filePath":"README.md"})", 1));
    r.feed(finish(FinishReason::ToolCalls)).feed(usage(10, 10));
    const auto fs = r.end();
    std::vector<std::int64_t> addedIdx, doneIdx;
    std::vector<std::string> doneArgs;
    for (const Frame& f : fs) {
        if (f.event == "response.output_item.added") addedIdx.push_back(at(f.data, "output_index").asInt());
        if (f.event == "response.output_item.done") {
            doneIdx.push_back(at(f.data, "output_index").asInt());
            doneArgs.push_back(at(f.data, "item.arguments").asString());
        }
    }
    EXPECT_EQ(addedIdx, (std::vector<std::int64_t>{0, 1}));
    EXPECT_EQ(doneIdx, (std::vector<std::int64_t>{0, 1}));
    ASSERT_EQ(doneArgs.size(), 2u);
    EXPECT_EQ(at(json(doneArgs[0]), "pattern").asString(), "*.go");
    EXPECT_EQ(at(json(doneArgs[1]), "filePath").asString(), "README.md");
    EXPECT_EQ(doneArgs[0].find("}{"), std::string::npos);
    const Value output = at(find(fs, "response.completed")->data, "response.output");
    ASSERT_EQ(output.size(), 2u);
    EXPECT_EQ(at(output, "0.call_id").asString(), "call_glob");
    EXPECT_EQ(at(output, "1.call_id").asString(), "call_read");
    EXPECT_EQ(at(output, "1.name").asString(), "read");
}

TEST(ResponsesStreamEncoder, MessageIsClosedBeforeAToolCallStarts) {
    // Vector of MixedMessageAndToolUseDistinctOutputIndexes.
    EncRun r;
    r.feed(ev(Event::Type::TextDelta, "hello")).feed(callStart(0, "call_choice1", "read"));
    r.feed(ev(Event::Type::ToolCallDelta, "{}", 0));
    const auto fs = r.end();
    const auto names = eventNames(fs);
    const auto msgDone = std::find(names.begin(), names.end(), "response.output_item.done");
    const auto callAdded = std::find(names.begin() + 3, names.end(), "response.output_item.added");
    ASSERT_NE(msgDone, names.end());
    ASSERT_NE(callAdded, names.end());
    EXPECT_LT(msgDone, callAdded);
    EXPECT_EQ(at(find(fs, "response.output_item.added", 0)->data, "output_index").asInt(), 0);
    EXPECT_EQ(at(find(fs, "response.output_item.added", 1)->data, "output_index").asInt(), 1);
    EXPECT_EQ(at(find(fs, "response.output_item.added", 1)->data, "item.call_id").asString(), "call_choice1");
}

TEST(ResponsesStreamEncoder, UsageAfterFinishIsInTheCompletedEvent) {
    // Vector of ResponseCompletedWaitsForDone ("late usage after finish reason").
    EncRun r;
    r.feed(start()).feed(callStart(0, "call_late_usage", "read")).feed(ev(Event::Type::ToolCallDelta, "{}", 0));
    r.feed(finish(FinishReason::ToolCalls));
    EXPECT_EQ(r.out.find("response.completed"), std::string::npos);
    r.feed(usage(11, 7));
    const auto fs = r.end();
    int completed = 0;
    for (const Frame& f : fs) completed += f.event == "response.completed";
    EXPECT_EQ(completed, 1);
    const Value u = at(find(fs, "response.completed")->data, "response.usage");
    EXPECT_EQ(at(u, "input_tokens").asInt(), 11);
    EXPECT_EQ(at(u, "output_tokens").asInt(), 7);
    EXPECT_EQ(at(u, "total_tokens").asInt(), 18);
}

TEST(ResponsesStreamEncoder, NoUsageMeansNoUsageObject) {
    EncRun r;
    r.feed(ev(Event::Type::TextDelta, "x")).feed(finish(FinishReason::Stop));
    EXPECT_TRUE(at(find(r.end(), "response.completed")->data, "response.usage").isNull());
}

TEST(ResponsesStreamEncoder, NoFinishStillCompletesAndLengthIsIncomplete) {
    EncRun a;
    a.feed(ev(Event::Type::TextDelta, "x"));
    const auto fa = a.end();
    EXPECT_EQ(fa.back().event, "response.completed");
    EXPECT_EQ(at(fa.back().data, "response.status").asString(), "completed");

    EncRun b;
    b.feed(ev(Event::Type::TextDelta, "x")).feed(finish(FinishReason::Length));
    const auto fb = b.end();
    EXPECT_EQ(fb.back().event, "response.incomplete");
    EXPECT_EQ(at(fb.back().data, "response.status").asString(), "incomplete");
    EXPECT_EQ(at(fb.back().data, "response.incomplete_details.reason").asString(), "max_output_tokens");

    EncRun c;  // nothing at all: still a well-formed response
    EXPECT_EQ(eventNames(c.end()),
              (std::vector<std::string>{"response.created", "response.in_progress", "response.completed"}));
}

TEST(ResponsesStreamEncoder, ReasoningSummaryEventsAndSignature) {
    EncRun r;
    r.feed(start()).feed(ev(Event::Type::ThinkingDelta, "let me ")).feed(ev(Event::Type::ThinkingDelta, "think"));
    r.feed(ev(Event::Type::ThinkingSignature, "enc_sig")).feed(ev(Event::Type::TextDelta, "answer"));
    const auto fs = r.end();
    const std::vector<std::string> want = {"response.created",
                                           "response.in_progress",
                                           "response.output_item.added",
                                           "response.reasoning_summary_part.added",
                                           "response.reasoning_summary_text.delta",
                                           "response.reasoning_summary_text.delta",
                                           "response.reasoning_summary_text.done",
                                           "response.reasoning_summary_part.done",
                                           "response.output_item.done",
                                           "response.output_item.added",
                                           "response.content_part.added",
                                           "response.output_text.delta",
                                           "response.output_text.done",
                                           "response.content_part.done",
                                           "response.output_item.done",
                                           "response.completed"};
    EXPECT_EQ(eventNames(fs), want);
    EXPECT_EQ(at(fs[2].data, "item.type").asString(), "reasoning");
    EXPECT_EQ(at(fs[2].data, "item.id").asString().rfind("rs_", 0), 0u);
    EXPECT_EQ(at(fs[4].data, "summary_index").asInt(), 0);
    EXPECT_EQ(at(fs[6].data, "text").asString(), "let me think");
    EXPECT_EQ(at(fs[8].data, "item.summary.0.text").asString(), "let me think");
    EXPECT_EQ(at(fs[8].data, "item.encrypted_content").asString(), "enc_sig");
    EXPECT_EQ(at(fs[9].data, "output_index").asInt(), 1);
    const Value out = at(fs.back().data, "response.output");
    EXPECT_EQ(at(out, "0.type").asString(), "reasoning");
    EXPECT_EQ(at(out, "1.type").asString(), "message");
}

TEST(ResponsesStreamEncoder, SignatureOnlyReasoningIsAnItemWithoutSummary) {
    EncRun r;
    r.feed(ev(Event::Type::ThinkingSignature, "enc_only")).feed(ev(Event::Type::TextDelta, "ok"));
    const auto fs = r.end();
    EXPECT_FALSE(find(fs, "response.reasoning_summary_part.added"));
    const Frame* done = find(fs, "response.output_item.done");
    EXPECT_EQ(at(done->data, "item.encrypted_content").asString(), "enc_only");
    EXPECT_EQ(at(done->data, "item.summary").size(), 0u);
}

TEST(ResponsesStreamEncoder, ImagesErrorsAndEchoes) {
    const Conversation req = responses().decodeRequest(json(R"({"instructions":"sys","max_output_tokens":9})"), "m", true);
    EncRun r;
    r.ex.request = &req;
    r.enc = responses().streamEncoder(r.ex);
    Event img = ev(Event::Type::ImageData, "aGVsbG8=");
    img.name = "image/png";
    r.feed(img).feed(ev(Event::Type::Error, "upstream broke"));
    const auto fs = r.end();
    EXPECT_EQ(at(fs[0].data, "response.instructions").asString(), "sys");
    EXPECT_EQ(at(fs[0].data, "response.max_output_tokens").asInt(), 9);
    const Frame* done = find(fs, "response.output_item.done");
    ASSERT_TRUE(done);
    EXPECT_EQ(at(done->data, "item.type").asString(), "image_generation_call");
    EXPECT_EQ(at(done->data, "item.result").asString(), "aGVsbG8=");
    for (const Frame& f : fs) EXPECT_NE(f.event, "error");
    std::set<std::int64_t> seqs;
    for (const Frame& f : fs) seqs.insert(at(f.data, "sequence_number").asInt());
    EXPECT_EQ(seqs.size(), fs.size());
}

}  // namespace
}  // namespace cpa::proxy::translate
