#include "upstream/codex_collect.hpp"

#include "upstream/stream_framer.hpp"
#include "upstream/usage.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::upstream {

using cpa::sdk::Value;

void CodexCollector::line(std::string_view line) {
    std::string_view payload;
    if (completed_ || !dataPayload(line, payload) || payload.empty() || payload == "[DONE]") return;
    Value doc;
    try {
        doc = cpa::sdk::parseJson(payload);
    } catch (const std::exception&) {
        return;
    }
    const Value* type = doc.find("type");
    if (!type || !type->isString()) return;
    if (type->asString() == "response.output_item.done") {
        const Value* item = doc.find("item");
        const Value* index = doc.find("output_index");
        if (item) items_[index && index->isInt() ? index->asInt() : static_cast<long long>(items_.size())] = *item;
    } else if (type->asString() == "response.completed") {
        const Value* response = doc.find("response");
        completed_ = response && response->isObject() ? *response : Value::object();
        const Value* output = completed_->find("output");
        if (!output || !output->isArray() || output->asArray().empty()) {
            Value filled = Value::array();
            for (auto& [i, item] : items_) filled.push(item);
            completed_->set("output", filled);
        }
    }
}

std::string CodexCollector::body() const { return completed_ ? cpa::sdk::toJson(*completed_) : std::string{}; }

TokenUsage CodexCollector::usage() const {
    if (!completed_) return {};
    const Value* u = findUsageObject(*completed_, "usage");
    return u ? usageFromResponses(*u) : TokenUsage{};
}

}  // namespace cpa::proxy::upstream
