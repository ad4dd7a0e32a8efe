#pragma once
// Typed decoding of family entries: the original decodes bodies into Go
// structs (unknown members dropped, wrong JSON types rejected) and config
// entries leniently from YAML. One schema per family drives both.
#include <cpa/sdk/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::provider_keys {

using sdk::Value;

enum class Kind {
    String,
    Int,
    Bool,
    StringMap,     ///< headers: {name: value}
    StringList,    ///< excluded-models
    Models,        ///< [{name, alias}]
    ModelsThinking,///< [{name, alias, thinking?}] (openai-compatibility)
    KeyEntries,    ///< [{api-key, proxy-url?}]
    Object         ///< kept as given (cloak)
};

struct Field {
    std::string_view name;
    Kind kind;
};
using Schema = std::vector<Field>;

/// The members of `raw` named in `schema`, in schema order, typed. Member
/// names match case-insensitively and null counts as absent. strict (request
/// bodies): a wrong JSON type throws HttpError(400, "invalid body"); lenient
/// (config file): scalars are read as text where text is expected and members
/// of the wrong type are skipped.
Value decode(const Value& raw, const Schema& schema, bool strict);

/// Member as text ("" when absent or not a scalar).
std::string str(const Value& entry, std::string_view key);
/// Sets the member, or removes it when `v` is empty.
void setOrErase(Value& entry, std::string_view key, std::optional<Value> v);
/// Removes zero values ("" / 0 / false / null / empty list or map), as the
/// original never writes them (omitempty).
void compact(Value& entry);

}  // namespace cpa::provider_keys
