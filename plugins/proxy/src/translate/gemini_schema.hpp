#pragma once
// JSON Schema adjustments for Gemini function declarations.
#include <cpa/sdk/value.hpp>

namespace cpa::proxy::translate::gemini {

/// A JSON Schema → one Gemini's `parametersJsonSchema` accepts
/// (docs/spec/translation.md §2.5 "Gemini schema cleaning"): references,
/// unions and unsupported keywords are flattened into description hints.
cpa::sdk::Value cleanSchema(const cpa::sdk::Value& schema);

/// Gemini's OpenAPI-style `parameters` / `responseSchema` ("OBJECT",
/// "STRING", …) → JSON Schema type names, at every depth; decoders use it so
/// the canonical schema is plain JSON Schema for every target.
cpa::sdk::Value lowerSchemaTypes(cpa::sdk::Value schema);

}  // namespace cpa::proxy::translate::gemini
