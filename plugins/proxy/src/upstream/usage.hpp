#pragma once
// Token usage per upstream format (data-plane §10). `usage: null` and other
// non-objects count as "no usage" (the recommended fix of the original's quirk).
#include "exec/executor.hpp"

#include <cpa/sdk/value.hpp>

#include <optional>
#include <string_view>

namespace cpa::proxy::upstream {

/// OpenAI chat shape (`usage` of a body or chunk), also accepting Responses names.
TokenUsage usageFromOpenAI(const cpa::sdk::Value& usage);
/// usageFromOpenAI straight from the bytes of a `usage` object, without a
/// tree; nullopt when the bytes need the parser (duplicate keys, escapes in
/// the object, numbers that are not plain int64 literals).
std::optional<TokenUsage> usageFromOpenAIJson(std::string_view usageObject);
/// Claude `usage` object.
TokenUsage usageFromClaude(const cpa::sdk::Value& usage);
/// Gemini `usageMetadata` object.
TokenUsage usageFromGemini(const cpa::sdk::Value& usageMetadata);
/// Codex/Responses `response.usage` object.
TokenUsage usageFromResponses(const cpa::sdk::Value& usage);

/// The usage object of a whole JSON document per family, or nullptr.
const cpa::sdk::Value* findUsageObject(const cpa::sdk::Value& doc, const char* key);

}  // namespace cpa::proxy::upstream
