#pragma once
// Small helpers every codec uses (one copy each; docs/spec/translation.md §2).
#include "translate/codec.hpp"

#include <cpa/sdk/text.hpp>
#include <cpa/sdk/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cpa::proxy::translate {

/// `prefix` + n characters from [A-Za-z0-9], drawn from the OS CSPRNG (translation.md §2.7: rand24).
std::string randomId(std::string_view prefix, std::size_t n = 24);
/// Unix seconds now.
std::int64_t nowSeconds();

struct DataUrl {
    std::string mimeType;
    std::string data;  ///< base64 as written
};
/// `data:<mime>;base64,<data>` → its parts; nullopt for anything else.
std::optional<DataUrl> parseDataUrl(std::string_view url);
std::string makeDataUrl(std::string_view mimeType, std::string_view base64);

/// Effort level → token budget (none 0, auto -1, minimal 512, low 1024, medium 8192,
/// high 24576, xhigh 32768, max 128000); nullopt for an unknown level (translation.md §2.10).
std::optional<std::int64_t> levelToBudget(std::string_view level);
/// Budget → level (-1 auto, 0 none, ≤512 minimal, ≤1024 low, ≤8192 medium,
/// ≤24576 high, above xhigh); "" below -1 (translation.md §2.10).
std::string budgetToLevel(std::int64_t budget);

/// Member `key` of an object value, or nullptr (also when `v` is not an object).
const cpa::sdk::Value* member(const cpa::sdk::Value& v, std::string_view key);
/// Member `key` when it is a string, else "".
std::string stringMember(const cpa::sdk::Value& v, std::string_view key);
/// A number member as double / integer (nullopt when absent or not a number).
std::optional<double> numberMember(const cpa::sdk::Value& v, std::string_view key);
std::optional<std::int64_t> intMember(const cpa::sdk::Value& v, std::string_view key);
using cpa::sdk::lowerAscii;  // ASCII lower case (cpa/sdk/text.hpp)

/// Arguments JSON text → object value; a text that is not a JSON object
/// becomes {} (providers that take objects reject anything else).
cpa::sdk::Value argumentsObject(std::string_view json);

/// "invalid_request" | "authentication" | "permission" | "not_found" |
/// "rate_limit" | "overloaded" | "server" for an HTTP status.
std::string errorKindForStatus(int status);
/// The ErrorInfo kind, or the status's when empty.
std::string errorKindOf(const ErrorInfo& e);

/// Appends one SSE frame: optional `event: <name>\n`, `data: <json>\n\n`.
void appendSse(std::string& out, std::string_view event, std::string_view json);

}  // namespace cpa::proxy::translate
