#pragma once
// Canonical parts the codec tests build again and again.
#include "translate/ir.hpp"

#include <string>
#include <vector>

namespace cpa::proxy::translate {

inline Part call(std::string id, std::string name, std::string args) {
    Part p;
    p.kind = Part::Kind::ToolCall;
    p.callId = std::move(id);
    p.name = std::move(name);
    p.arguments = std::move(args);
    return p;
}

inline Part result(std::string id, std::vector<Part> content) {
    Part p;
    p.kind = Part::Kind::ToolResult;
    p.callId = std::move(id);
    p.content = std::move(content);
    return p;
}

}  // namespace cpa::proxy::translate
