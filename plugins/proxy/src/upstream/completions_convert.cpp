// data-plane.md §8.6 chat completion responses → legacy text_completion shape.
#include "upstream/stream_framer.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::upstream {

using cpa::sdk::Value;

namespace {

const Value* contentOf(const Value& choice, const char* holder) {
    const Value* h = choice.find(holder);
    if (!h || !h->isObject()) return nullptr;
    const Value* c = h->find("content");
    return c && c->isString() ? c : nullptr;
}

bool meaningfulFinish(const Value* fr) { return fr && fr->isString() && !fr->asString().empty(); }

Value convertChoice(const Value& choice, std::size_t position) {
    Value out = Value::object();
    const Value* index = choice.find("index");
    out.set("index", index ? *index : Value(static_cast<long long>(position)));
    const Value* text = contentOf(choice, "message");
    if (!text) text = contentOf(choice, "delta");
    out.set("text", text ? *text : Value(""));
    if (const Value* fr = choice.find("finish_reason"); fr && !fr->isNull()) out.set("finish_reason", *fr);
    if (const Value* lp = choice.find("logprobs"); lp && !lp->isNull()) out.set("logprobs", *lp);
    return out;
}

Value convert(const Value& chat) {
    Value out = Value::object();
    for (const char* k : {"id"}) out.set(k, chat.find(k) ? *chat.find(k) : Value(""));
    out.set("object", "text_completion");
    out.set("created", chat.find("created") ? *chat.find("created") : Value(0));
    out.set("model", chat.find("model") ? *chat.find("model") : Value(""));
    Value choices = Value::array();
    if (const Value* cs = chat.find("choices"); cs && cs->isArray()) {
        std::size_t i = 0;
        for (const Value& c : cs->asArray()) choices.push(convertChoice(c, i++));
    }
    out.set("choices", choices);
    if (const Value* u = chat.find("usage"); u && !u->isNull()) out.set("usage", *u);
    return out;
}

}  // namespace

std::string chatChunkToCompletion(std::string_view chunkJson) {
    Value chunk;
    try {
        chunk = cpa::sdk::parseJson(chunkJson);
    } catch (const std::exception&) {
        return {};
    }
    if (!chunk.isObject()) return {};
    bool keep = false;
    if (const Value* u = chunk.find("usage"); u && !u->isNull()) keep = true;
    if (const Value* cs = chunk.find("choices"); cs && cs->isArray()) {
        for (const Value& c : cs->asArray()) {
            const Value* text = contentOf(c, "delta");
            if ((text && !text->asString().empty()) || meaningfulFinish(c.find("finish_reason"))) keep = true;
        }
    }
    return keep ? cpa::sdk::toJson(convert(chunk)) : std::string{};
}

std::string chatBodyToCompletion(const std::string& body) {
    try {
        Value chat = cpa::sdk::parseJson(body);
        if (!chat.isObject()) return body;
        return cpa::sdk::toJson(convert(chat));
    } catch (const std::exception&) {
        return body;
    }
}

}  // namespace cpa::proxy::upstream
