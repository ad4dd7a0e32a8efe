#pragma once
// The five built-in provider-key families as KeyListResource specs
// (management-api-core.md §5.11). Each spec holds only the family's rules.
#include "entry_codec.hpp"

#include <cpa/sdk/key_list_resource.hpp>

#include <functional>
#include <vector>

namespace cpa::provider_keys {

/// What differs between families; turned into a KeyListSpec by makeSpec.
struct FamilyRules {
    const char* configKey;
    Schema schema;           ///< stored members, in the GET order of management-api-core.md §5.2
    Schema patchSchema;      ///< members PATCH may change
    std::vector<const char*> alwaysInGet;  ///< members GET shows even when empty
    /// Per-entry clean-up of PUT items and patched entries (before `sanitize`).
    std::function<void(Value&)> normalize;
    /// The load-time rules applied to every entry; false drops the entry.
    std::function<bool(Value&)> sanitize;
    /// Optional PUT check after `normalize` (vertex's indexed api-key error).
    std::function<void(const Value&, std::size_t index)> putCheck;
    bool dedupKeyAndBase = false;  ///< gemini, vertex: first (api-key, base-url) wins
    bool emptyKeyDeletes = false;  ///< PATCH api-key "" deletes the entry
    bool emptyBaseDeletes = false; ///< PATCH base-url "" deletes the entry
};

sdk::KeyListSpec makeSpec(FamilyRules rules, std::function<void(Value::Array&, const Value&)> authIndex);

sdk::KeyListSpec geminiSpec();
sdk::KeyListSpec claudeSpec();
sdk::KeyListSpec codexSpec();
sdk::KeyListSpec vertexSpec();
sdk::KeyListSpec openAICompatSpec();

/// Shape of one GET entry: schema order, `alwaysInGet` members filled with
/// their zero value ("" / false / null for lists).
Value renderEntry(const Value& entry, const Schema& schema, const std::vector<const char*>& alwaysInGet);

}  // namespace cpa::provider_keys
