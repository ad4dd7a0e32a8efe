#include "http/request_shape.hpp"

#include "json/json_scan.hpp"
#include "translate/codec.hpp"
#include "upstream/translation.hpp"

namespace cpa::proxy {

namespace {

/// The first non-space byte of a member's value.
char leading(std::string_view body, const JsonMember& m) {
    return m.found() ? body[m.valueBegin] : '\0';
}

}  // namespace

std::optional<std::string> shapeProblem(ClientFormat format, std::string_view body) {
    // A missing member is left to the upstream (or to the codec when the
    // request is translated): only what is there is checked here.
    enum { Messages, Input, Contents, N };
    static constexpr std::string_view kKeys[N] = {"messages", "input", "contents"};
    JsonMember m[N];
    if (!scanJsonObject(body, kKeys, m, N)) return std::string("request body must be a JSON object");
    switch (format) {
        case ClientFormat::OpenAIChat:
            if (m[Messages].found() && leading(body, m[Messages]) != '[') return std::string("messages must be an array");
            return std::nullopt;
        case ClientFormat::Claude:
        case ClientFormat::ClaudeCountTokens:
            if (m[Messages].found() && leading(body, m[Messages]) != '[')
                return std::string("messages: Input should be a valid list");
            return std::nullopt;
        case ClientFormat::Responses:
        case ClientFormat::ResponsesCompact: {
            const char c = leading(body, m[Input]);
            if (m[Input].found() && c != '[' && c != '"') return std::string("input must be a string or an array");
            return std::nullopt;
        }
        case ClientFormat::Gemini:
            if (m[Contents].found() && leading(body, m[Contents]) != '[') return std::string("contents must be an array");
            return std::nullopt;
        case ClientFormat::OpenAICompletions:
            return std::nullopt;
    }
    return std::nullopt;
}

std::string clientErrorBody(ClientFormat format, int status, const std::string& message) {
    const auto f = upstream::translatableFormat(format).value_or(translate::Format::Responses);
    return translate::codecFor(f).encodeError({status, message, {}});
}

}  // namespace cpa::proxy
