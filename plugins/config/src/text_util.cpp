#include "text_util.hpp"

#include <cctype>
#include <cstdio>

namespace cpa::config {

std::string trim(std::string_view s) {
    auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

std::string toLower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

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
