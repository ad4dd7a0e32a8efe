#pragma once
// Request-body conventions of the management API (management-api-core.md §3.1).
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cpa::sdk {

/// A "bound" body: the first JSON value of `body` (trailing data ignored) must
/// be an object. Returns nullopt when the body is empty, malformed or not an object.
CPA_SDK_API std::optional<Value> boundObject(const std::string& body);

/// Member lookup matching names case-insensitively, like the original's
/// decoder ("VALUE" finds "value"); an exact-case match wins. A null member
/// counts as absent.
CPA_SDK_API const Value* boundMember(const Value& object, std::string_view name);

/// The `{"value": <bool>}` body of a scalar setting; nullopt when missing,
/// null or not a bool (→ 400 "invalid body").
CPA_SDK_API std::optional<bool> boundBoolValue(const std::string& body);
/// Integer literal only (5; not 5.0, 5e0 or "5").
CPA_SDK_API std::optional<std::int64_t> boundIntValue(const std::string& body);
CPA_SDK_API std::optional<std::string> boundStringValue(const std::string& body);

}  // namespace cpa::sdk
