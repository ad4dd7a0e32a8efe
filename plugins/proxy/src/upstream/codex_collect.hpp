#pragma once
// Non-streaming Responses over an always-streaming Codex upstream (data-plane.md §7.3):
// the `response` of `response.completed`, its empty `output` filled from the
// `response.output_item.done` items in `output_index` order.
#include "exec/executor.hpp"

#include <cpa/sdk/value.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cpa::proxy::upstream {

class CodexCollector {
public:
    void line(std::string_view line);
    bool completed() const { return completed_.has_value(); }
    /// The assembled response JSON (requires completed()).
    std::string body() const;
    TokenUsage usage() const;

private:
    std::map<long long, cpa::sdk::Value> items_;
    std::optional<cpa::sdk::Value> completed_;
};

}  // namespace cpa::proxy::upstream
