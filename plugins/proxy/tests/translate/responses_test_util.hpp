#pragma once
// Helpers for the Responses codec tests: JSON literals and SSE frame parsing.
#include "translate/codecs.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cpa::proxy::translate::rtest {

inline cpa::sdk::Value json(std::string_view text) { return cpa::sdk::parseJson(text); }

inline const Codec& responses() { return codecFor(Format::Responses); }

/// Member access by a dotted path with array indexes ("output.0.summary.0.text");
/// a null Value when absent.
inline cpa::sdk::Value at(const cpa::sdk::Value& v, std::string_view path) {
    const cpa::sdk::Value* cur = &v;
    while (!path.empty()) {
        const auto dot = path.find('.');
        const std::string_view key = path.substr(0, dot);
        if (cur->isArray()) {
            const std::size_t i = std::stoul(std::string(key));
            if (i >= cur->size()) return {};
            cur = &cur->asArray()[i];
        } else {
            cur = cur->find(key);
            if (!cur) return {};
        }
        path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    }
    return *cur;
}

struct Frame {
    std::string event;
    cpa::sdk::Value data;
};

/// Splits `event: X\ndata: Y\n\n` frames; every frame must be complete and valid.
inline std::vector<Frame> frames(const std::string& sse) {
    std::vector<Frame> out;
    std::size_t pos = 0;
    while (pos < sse.size()) {
        const auto end = sse.find("\n\n", pos);
        EXPECT_NE(end, std::string::npos) << "unterminated frame: " << sse.substr(pos);
        if (end == std::string::npos) break;
        const std::string block = sse.substr(pos, end - pos);
        pos = end + 2;
        Frame f;
        const auto nl = block.find('\n');
        EXPECT_EQ(block.rfind("event: ", 0), 0u) << block;
        f.event = block.substr(7, nl - 7);
        const std::string data = block.substr(nl + 1);
        EXPECT_EQ(data.rfind("data: ", 0), 0u) << block;
        f.data = cpa::sdk::parseJson(data.substr(6));
        EXPECT_EQ(f.data.find("type")->asString(), f.event);
        out.push_back(std::move(f));
    }
    return out;
}

inline std::vector<std::string> eventNames(const std::vector<Frame>& fs) {
    std::vector<std::string> out;
    for (const Frame& f : fs) out.push_back(f.event);
    return out;
}

}  // namespace cpa::proxy::translate::rtest
