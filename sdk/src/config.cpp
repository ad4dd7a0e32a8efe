#include <cpa/sdk/config.hpp>
#include <cpa/sdk/json.hpp>

#include <cmath>
#include <limits>

namespace cpa::sdk {

ConfigSnapshot::ConfigSnapshot(Value root, std::string text, std::uint64_t generation)
    : root_(std::move(root)), text_(std::move(text)), generation_(generation) {}

ConfigSnapshot::~ConfigSnapshot() = default;

bool ConfigSnapshot::getBool(std::string_view dottedPath, bool fallback) const {
    const Value* v = find(dottedPath);
    return v ? v->boolOr(fallback) : fallback;
}

// A whole float (`5.0` in YAML) reads as the integer it denotes, as the
// original's YAML decoder does for int fields; anything else falls back.
std::int64_t ConfigSnapshot::getInt(std::string_view dottedPath, std::int64_t fallback) const {
    const Value* v = find(dottedPath);
    if (!v) return fallback;
    if (v->isInt()) return v->asInt();
    if (v->isDouble()) {
        const double d = v->asDouble();
        // 2^63 is exactly representable; anything at or beyond it does not fit.
        if (std::isfinite(d) && d == std::trunc(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
            return static_cast<std::int64_t>(d);
        }
    }
    return fallback;
}

std::string ConfigSnapshot::getString(std::string_view dottedPath, std::string fallback) const {
    const Value* v = find(dottedPath);
    if (!v) return fallback;
    switch (v->type()) {
    case Value::Type::String: return v->asString();
    case Value::Type::Bool: return v->asBool() ? "true" : "false";
    case Value::Type::Int: return std::to_string(v->asInt());
    case Value::Type::Double:
        if (std::isfinite(v->asDouble())) return toJson(*v);  // shortest round-trip text
        return fallback;
    default: return fallback;
    }
}

}  // namespace cpa::sdk
