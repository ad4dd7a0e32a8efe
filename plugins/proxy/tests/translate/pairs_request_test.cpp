// Requests through all 12 cross pairs: one conversation written by a client
// of each format, encoded for the provider as the executor does, then read
// back by the provider codec's own decodeRequest (every codec decodes its
// format as a client format): the conversation's essentials survive.
#include "pairs_fixtures.hpp"

namespace cpa::proxy::translate::pairs {
namespace {

/// What must survive a translation, independent of how a format groups turns.
struct Essentials {
    std::string system;
    std::vector<std::pair<Role, std::string>> texts;  ///< every text part, in order
    std::vector<std::pair<Role, const Part*>> images;
    std::vector<const Part*> calls, results;
    std::vector<const ToolDecl*> tools;
};

Essentials essentials(const Conversation& c) {
    Essentials e;
    for (const Part& p : c.system)
        if (p.kind == Part::Kind::Text) e.system += (e.system.empty() ? "" : "\n") + p.text;
    for (const Message& m : c.messages)
        for (const Part& p : m.parts) {
            switch (p.kind) {
                case Part::Kind::Text: e.texts.emplace_back(m.role, p.text); break;
                case Part::Kind::Image: e.images.emplace_back(m.role, &p); break;
                case Part::Kind::ToolCall: e.calls.push_back(&p); break;
                case Part::Kind::ToolResult: e.results.push_back(&p); break;
                default: break;
            }
        }
    for (const ToolDecl& d : c.tools) e.tools.push_back(&d);
    return e;
}

std::string resultText(const Part& r) {
    std::string t;
    for (const Part& p : r.content)
        if (p.kind == Part::Kind::Text) t += p.text;
    return t;
}

/// Checks the conversation of pairs_fixtures.hpp. `idsKept` = call ids are the
/// client's own (Gemini has none: only the pairing can be checked).
void expectTheConversation(const Conversation& c, bool idsKept, Format readBy) {
    const Essentials e = essentials(c);
    EXPECT_EQ(e.system, kSystem);
    const std::vector<std::pair<Role, std::string>> texts = {
        {Role::User, kUser1}, {Role::Assistant, kAssistant}, {Role::User, kUser2}};
    EXPECT_EQ(e.texts, texts);
    ASSERT_EQ(e.images.size(), 1u);
    EXPECT_EQ(e.images[0].first, Role::User);
    EXPECT_EQ(e.images[0].second->mimeType, kImageMime);
    EXPECT_EQ(e.images[0].second->data, kImageData);
    ASSERT_EQ(e.tools.size(), 1u);
    EXPECT_EQ(e.tools[0]->name, "get_weather");
    ASSERT_TRUE(e.tools[0]->parameters.has_value());
    EXPECT_NE(at(*e.tools[0]->parameters, "properties.city"), nullptr) << cpa::sdk::toJson(*e.tools[0]->parameters);
    ASSERT_EQ(e.calls.size(), 1u);
    EXPECT_EQ(e.calls[0]->name, "get_weather");
    EXPECT_EQ(args(e.calls[0]->arguments), J(kArgs));
    ASSERT_EQ(e.results.size(), 1u);
    EXPECT_FALSE(e.calls[0]->callId.empty());
    EXPECT_EQ(e.results[0]->callId, e.calls[0]->callId);
    if (idsKept) {
        EXPECT_EQ(e.calls[0]->callId, "call_w1");
    }
    // A Gemini functionResponse holds an object: a text result travels as
    // {"result": text}, which Gemini's decoder unwraps again.
    EXPECT_EQ(resultText(*e.results[0]), kResult);
}

class PairRequest : public ::testing::TestWithParam<PairParam> {};

INSTANTIATE_TEST_SUITE_P(AllCrossPairs, PairRequest, ::testing::ValuesIn(crossPairs()), pairName);

TEST(PairRequestFixture, EveryClientFormatDecodesTheSameConversation) {
    for (Format f : kFormats) {
        SCOPED_TRACE(shortName(f));
        const Conversation c = codecFor(f).decodeRequest(conversationBody(f), "client-model", false);
        expectTheConversation(c, f != Format::Gemini, Format::OpenAIChat);
    }
}

TEST_P(PairRequest, TheConversationSurvivesTheProvidersOwnReading) {
    const auto [client, provider] = GetParam();
    const Attempt a(client, provider, conversationBody(client));
    SCOPED_TRACE(cpa::sdk::toJson(a.upstreamBody));
    // The provider's own reading of what it was sent (the model travels in
    // Gemini's URL, the stream flag too: given as the executor would).
    const Conversation back = codecFor(provider).decodeRequest(a.upstreamBody, "upstream-model", false);
    expectTheConversation(back, client != Format::Gemini && provider != Format::Gemini, provider);
    if (provider != Format::Gemini) {
        EXPECT_EQ(back.model, "upstream-model");
    }
    EXPECT_TRUE(a.ex.toolNameBack.empty());  // get_weather is a valid name everywhere
}

TEST_P(PairRequest, StreamFlagAndModelReachTheProvider) {
    const auto [client, provider] = GetParam();
    const Attempt a(client, provider, conversationBody(client), true);
    if (provider == Format::Gemini) {  // model and stream travel in the URL
        EXPECT_EQ(at(a.upstreamBody, "model"), nullptr);
        EXPECT_EQ(at(a.upstreamBody, "stream"), nullptr);
        return;
    }
    EXPECT_EQ(str(a.upstreamBody, "model"), "upstream-model");
    ASSERT_NE(at(a.upstreamBody, "stream"), nullptr);
    EXPECT_TRUE(at(a.upstreamBody, "stream")->boolOr(false));
    if (provider == Format::OpenAIChat) {
        EXPECT_TRUE(at(a.upstreamBody, "stream_options.include_usage")->boolOr(false));
    }
}

}  // namespace
}  // namespace cpa::proxy::translate::pairs
