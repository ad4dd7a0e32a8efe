#pragma once
// The first look at a client body (docs/compatibility.md, "bad input"): a
// body that is not a JSON object, or whose main member has the wrong type
// for its endpoint, is refused with a 400 in the endpoint's own error shape
// before anything is routed. A byte scan, no tree: same-format requests keep
// their bytes and their speed.
#include "exec/executor.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cpa::proxy {

/// What is wrong with `body` for `format`, or nullopt when its shape is fine.
std::optional<std::string> shapeProblem(ClientFormat format, std::string_view body);

/// An error body in the client's own format (OpenAI, Claude, Google shape).
std::string clientErrorBody(ClientFormat format, int status, const std::string& message);

}  // namespace cpa::proxy
