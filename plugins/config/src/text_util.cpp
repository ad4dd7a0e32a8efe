#include "text_util.hpp"

#include <cctype>
#include <cstdio>

namespace cpa::config {

std::string scalarText(const sdk::Value* v, std::string fallback) {
    if (v == nullptr) return fallback;
    switch (v->type()) {
    case sdk::Value::Type::String: return v->asString();
    case sdk::Value::Type::Bool: return v->asBool() ? "true" : "false";
    case sdk::Value::Type::Int: return std::to_string(v->asInt());
    case sdk::Value::Type::Double: {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", v->asDouble());
        return buf;
    }
    default: return fallback;
    }
}

}  // namespace cpa::config
