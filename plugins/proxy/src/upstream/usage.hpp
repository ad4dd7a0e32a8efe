#pragma once
// Token usage per upstream format (data-plane §10). `usage: null` and other
// non-objects count as "no usage" (the recommended fix of the original's quirk).
#include "exec/executor.hpp"

#include <cpa/sdk/value.hpp>

namespace cpa::proxy::upstream {

/// OpenAI chat shape (`usage` of a body or chunk), also accepting Responses names.
TokenUsage usageFromOpenAI(const cpa::sdk::Value& usage);
/// Claude `usage` object.
TokenUsage usageFromClaude(const cpa::sdk::Value& usage);
/// Gemini `usageMetadata` object.
TokenUsage usageFromGemini(const cpa::sdk::Value& usageMetadata);
/// Codex/Responses `response.usage` object.
TokenUsage usageFromResponses(const cpa::sdk::Value& usage);

/// The usage object of a whole JSON document per family, or nullptr.
const cpa::sdk::Value* findUsageObject(const cpa::sdk::Value& doc, const char* key);

}  // namespace cpa::proxy::upstream
