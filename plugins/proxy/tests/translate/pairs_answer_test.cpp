// Answers through all 12 cross pairs: a provider's stream fed line by line
// through its codec's decoder and the client codec's encoder, then read back
// by the client codec's own decoder (and the same for whole answers): the
// text, the tool call, the finish reason and the usage survive.
#include "pairs_fixtures.hpp"

namespace cpa::proxy::translate::pairs {
namespace {

class PairAnswer : public ::testing::TestWithParam<PairParam> {
protected:
    Format client() const { return GetParam().client; }
    Format provider() const { return GetParam().provider; }
};

INSTANTIATE_TEST_SUITE_P(AllCrossPairs, PairAnswer, ::testing::ValuesIn(crossPairs()), pairName);

void expectUsage(const Usage& u) {
    EXPECT_TRUE(u.present);
    EXPECT_EQ(u.input, kInput);
    EXPECT_EQ(u.cachedInput, kCached);
    EXPECT_EQ(u.output, kOutput);
    EXPECT_EQ(u.total(), kInput + kOutput);
}

TEST_P(PairAnswer, StreamWithAToolCallReadsBackTheSame) {
    const Attempt a(client(), provider(), shortBody(client()), true);
    const std::string upstream = providerStream(provider(), true);
    const Pumped p = pump(a, upstream);
    ASSERT_EQ(p.fatalStatus, 0) << p.fatalMessage;

    const Summary s = redecode(client(), p.out);
    EXPECT_EQ(s.errors, 0) << s.error << "\n" << p.out;
    EXPECT_EQ(s.model, "client-model");
    EXPECT_EQ(s.text, kText);
    ASSERT_EQ(s.calls.size(), 1u) << p.out;
    EXPECT_EQ(s.calls[0].name, "get_weather");
    EXPECT_EQ(args(s.calls[0].arguments), J(kArgs)) << s.calls[0].arguments;
    if (provider() == Format::Gemini) EXPECT_FALSE(s.calls[0].id.empty());  // Gemini sends no ids: one is minted
    else EXPECT_EQ(s.calls[0].id, "call_w1");
    EXPECT_EQ(s.finish, FinishReason::ToolCalls);
    EXPECT_EQ(s.finishes, 1);
    expectUsage(s.usage);
}

TEST_P(PairAnswer, StreamCutByTheTokenLimitReadsBackAsLength) {
    const Attempt a(client(), provider(), shortBody(client()), true);
    const Pumped p = pump(a, providerStream(provider(), false));
    ASSERT_EQ(p.fatalStatus, 0) << p.fatalMessage;
    const Summary s = redecode(client(), p.out);
    EXPECT_EQ(s.errors, 0) << s.error << "\n" << p.out;
    EXPECT_EQ(s.text, kText);
    EXPECT_TRUE(s.calls.empty());
    EXPECT_EQ(s.finish, FinishReason::Length) << p.out;
    expectUsage(s.usage);
}

TEST_P(PairAnswer, StreamIsWrittenAsItComes) {
    const Attempt a(client(), provider(), shortBody(client()), true);
    const std::string upstream = providerStream(provider(), true);
    const Pumped p = pump(a, upstream);
    ASSERT_EQ(p.fatalStatus, 0) << p.fatalMessage;

    // The first text delta is on the client's wire as soon as its upstream line is read.
    const std::size_t firstText = lineOf(upstream, "héllo");
    EXPECT_EQ(redecode(client(), writtenThrough(p, firstText), false).text, "héllo ")
        << writtenThrough(p, firstText);
    // So is the tool call with its first piece of arguments, except for a
    // Gemini client: Gemini has no argument deltas, a call is written whole.
    const std::size_t firstArgs = lineOf(upstream, "city");
    const Summary partial = redecode(client(), writtenThrough(p, firstArgs), false);
    if (client() == Format::Gemini) {
        EXPECT_TRUE(partial.calls.empty());
    } else {
        ASSERT_EQ(partial.calls.size(), 1u) << writtenThrough(p, firstArgs);
        EXPECT_EQ(partial.calls[0].name, "get_weather");
        const std::string expected = provider() == Format::Gemini ? R"({"city":"Paris","days":3})" : R"({"city":)";
        EXPECT_EQ(partial.calls[0].arguments, expected);
    }
    // Every upstream line that carries content gives a write of its own (no batching at the end).
    std::size_t nonEmpty = 0;
    for (std::size_t i = 0; i + 1 < p.writes.size(); ++i) nonEmpty += !p.writes[i].empty();
    EXPECT_GE(nonEmpty, client() == Format::Gemini ? 3u : 4u);
}

TEST_P(PairAnswer, ReplyWithAToolCallReadsBackTheSame) {
    const Attempt a(client(), provider(), shortBody(client()));
    const Value clientBody = a.reply(providerReply(provider(), true));
    const Exchange plain;
    const Reply r = codecFor(client()).decodeReply(clientBody, plain);
    EXPECT_EQ(r.model, "client-model");
    std::string text;
    std::vector<const Part*> calls;
    for (const Part& part : r.parts) {
        if (part.kind == Part::Kind::Text) text += part.text;
        if (part.kind == Part::Kind::ToolCall) calls.push_back(&part);
    }
    EXPECT_EQ(text, kText) << cpa::sdk::toJson(clientBody);
    ASSERT_EQ(calls.size(), 1u) << cpa::sdk::toJson(clientBody);
    EXPECT_EQ(calls[0]->name, "get_weather");
    EXPECT_EQ(args(calls[0]->arguments), J(kArgs));
    if (provider() == Format::Gemini) {
        EXPECT_FALSE(calls[0]->callId.empty());
    } else {
        EXPECT_EQ(calls[0]->callId, "call_w1");
    }
    EXPECT_EQ(r.finish, FinishReason::ToolCalls);
    expectUsage(r.usage);
}

TEST_P(PairAnswer, ReplyCutByTheTokenLimitReadsBackAsLength) {
    const Attempt a(client(), provider(), shortBody(client()));
    const Value clientBody = a.reply(providerReply(provider(), false));
    const Exchange plain;
    const Reply r = codecFor(client()).decodeReply(clientBody, plain);
    ASSERT_EQ(r.parts.size(), 1u) << cpa::sdk::toJson(clientBody);
    EXPECT_EQ(r.parts[0].text, kText);
    EXPECT_EQ(r.finish, FinishReason::Length) << cpa::sdk::toJson(clientBody);
    expectUsage(r.usage);
}

}  // namespace
}  // namespace cpa::proxy::translate::pairs
