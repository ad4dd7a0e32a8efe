#pragma once
// Small helpers for the chat codec's tests.
#include "translate/codec.hpp"
#include "translate/codecs.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace cpa::proxy::translate::chattest {

inline const Codec& codec() { return chatCodec(); }
inline cpa::sdk::Value json(std::string_view text) { return cpa::sdk::parseJson(text); }

/// A member by dotted path with numeric array indexes ("choices.0.delta"); nullptr when absent.
inline const cpa::sdk::Value* at(const cpa::sdk::Value& v, std::string_view path) {
    const cpa::sdk::Value* cur = &v;
    while (!path.empty() && cur) {
        const auto dot = path.find('.');
        const std::string_view key = path.substr(0, dot);
        if (cur->isArray()) {
            const std::size_t i = std::stoul(std::string(key));
            cur = i < cur->size() ? &cur->asArray()[i] : nullptr;
        } else {
            cur = cur->find(key);
        }
        path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    }
    return cur;
}
inline std::string str(const cpa::sdk::Value& v, std::string_view path) {
    const auto* m = at(v, path);
    return m && m->isString() ? m->asString() : std::string("<absent or not a string>");
}
inline std::int64_t num(const cpa::sdk::Value& v, std::string_view path) {
    const auto* m = at(v, path);
    return m && m->isNumber() ? m->intOr(-999) : -999;
}

/// The SSE frames of a chat stream: each `data:` payload (JSON text or "[DONE]").
inline std::vector<std::string> frames(const std::string& out) {
    std::vector<std::string> result;
    std::size_t pos = 0;
    while (pos < out.size()) {
        const auto end = out.find("\n\n", pos);
        EXPECT_NE(end, std::string::npos) << "unterminated frame in: " << out;
        if (end == std::string::npos) break;
        std::string frame = out.substr(pos, end - pos);
        EXPECT_EQ(frame.rfind("data: ", 0), 0u) << frame;
        result.push_back(frame.substr(6));
        pos = end + 2;
    }
    return result;
}

/// The TranslateError a call throws (fails the test when none).
template <typename F>
TranslateError translateError(F&& f) {
    try {
        f();
    } catch (const TranslateError& e) {
        return e;
    }
    ADD_FAILURE() << "expected a TranslateError";
    return TranslateError("<none>");
}

}  // namespace cpa::proxy::translate::chattest
