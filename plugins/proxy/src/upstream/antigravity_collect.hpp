#pragma once
// A non-stream Antigravity call that went to the stream path
// (oauth-executors.md §3.4.1): the Code Assist events merged into one
// `{"response":{…},"traceId":…}` answer, as the original merges them —
// consecutive text (or thought) parts joined, function calls and inline data
// kept as parts, the last finish reason, model version, response id and usage.
#include <cpa/sdk/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cpa::proxy::upstream {

class AntigravityCollector {
public:
    void line(std::string_view line);
    /// The merged answer (an empty candidate and zero usage when nothing came).
    std::string body();

private:
    void flushPending();

    cpa::sdk::Value parts_{cpa::sdk::Value::array()};
    std::optional<cpa::sdk::Value> template_;
    std::string traceId_, role_, finishReason_, modelVersion_, responseId_;
    std::optional<cpa::sdk::Value> usage_;
    std::string pendingKind_, pendingText_, pendingSignature_;
};

}  // namespace cpa::proxy::upstream
