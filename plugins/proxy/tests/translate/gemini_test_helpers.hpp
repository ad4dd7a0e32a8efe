#pragma once
// Shared by the Gemini codec's tests.
#include "translate/codecs.hpp"

#include <cpa/sdk/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace cpa::sdk {
// Failure messages show values as JSON (internal linkage: these tests' own).
[[maybe_unused]] static void PrintTo(const Value& v, std::ostream* os) { *os << toJson(v); }
}  // namespace cpa::sdk

namespace cpa::proxy::translate::gemini_test {

using cpa::sdk::Value;

inline Value J(std::string_view text) { return cpa::sdk::parseJson(text); }
inline const Codec& codec() { return codecFor(Format::Gemini); }
inline Conversation decode(std::string_view body, const std::string& model = "gemini-2.5-pro", bool stream = false) {
    return codec().decodeRequest(J(body), model, stream);
}

/// The JSON payloads of SSE frames (`data: …\n\n`) in `out`.
inline std::vector<Value> sseChunks(const std::string& out) {
    std::vector<Value> chunks;
    std::size_t pos = 0;
    while ((pos = out.find("data: ", pos)) != std::string::npos) {
        const std::size_t end = out.find("\n\n", pos);
        chunks.push_back(J(out.substr(pos + 6, end - pos - 6)));
        pos = end;
    }
    return chunks;
}

inline Event ev(Event::Type type, std::string text = {}, int index = 0) {
    Event e;
    e.type = type;
    e.text = std::move(text);
    e.index = index;
    return e;
}

}  // namespace cpa::proxy::translate::gemini_test
