#include <cpa/sdk/body.hpp>
#include <cpa/sdk/json.hpp>

#include <cpa/sdk/text.hpp>

namespace cpa::sdk {

std::optional<Value> boundObject(const std::string& body) {
    try {
        Value v = parseJson(body, JsonMode::FirstValue);
        if (!v.isObject()) return std::nullopt;
        return v;
    } catch (const JsonError&) {
        return std::nullopt;
    }
}

const Value* boundMember(const Value& object, std::string_view name) {
    if (!object.isObject()) return nullptr;
    const Value* found = object.find(name);
    if (!found) {
        for (const auto& [key, value] : object.asObject()) {
            if (iequals(key, name)) {
                found = &value;
                break;
            }
        }
    }
    if (found && found->isNull()) return nullptr;
    return found;
}

namespace {

/// The non-null "value" member of a bound object body.
const Value* valueMember(const std::optional<Value>& obj) {
    return obj ? boundMember(*obj, "value") : nullptr;
}

}  // namespace

std::optional<bool> boundBoolValue(const std::string& body) {
    const auto obj = boundObject(body);
    const Value* v = valueMember(obj);
    return v && v->isBool() ? std::optional<bool>(v->asBool()) : std::nullopt;
}

std::optional<std::int64_t> boundIntValue(const std::string& body) {
    const auto obj = boundObject(body);
    const Value* v = valueMember(obj);
    return v && v->isInt() ? std::optional<std::int64_t>(v->asInt()) : std::nullopt;
}

std::optional<std::string> boundStringValue(const std::string& body) {
    const auto obj = boundObject(body);
    const Value* v = valueMember(obj);
    return v && v->isString() ? std::optional<std::string>(v->asString()) : std::nullopt;
}

}  // namespace cpa::sdk
