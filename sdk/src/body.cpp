#include <cpa/sdk/body.hpp>
#include <cpa/sdk/json.hpp>

#include <cctype>

namespace cpa::sdk {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

}  // namespace

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

std::optional<bool> boundBoolValue(const std::string& body) {
    auto obj = boundObject(body);
    if (!obj) return std::nullopt;
    const Value* v = boundMember(*obj, "value");
    if (!v || !v->isBool()) return std::nullopt;
    return v->asBool();
}

std::optional<std::int64_t> boundIntValue(const std::string& body) {
    auto obj = boundObject(body);
    if (!obj) return std::nullopt;
    const Value* v = boundMember(*obj, "value");
    if (!v || !v->isInt()) return std::nullopt;
    return v->asInt();
}

std::optional<std::string> boundStringValue(const std::string& body) {
    auto obj = boundObject(body);
    if (!obj) return std::nullopt;
    const Value* v = boundMember(*obj, "value");
    if (!v || !v->isString()) return std::nullopt;
    return v->asString();
}

}  // namespace cpa::sdk
