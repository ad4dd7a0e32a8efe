#pragma once
// Text rules of the login flows (oauth.md §1, §2.1, §2.2): state validation,
// callback provider names, the is_webui flag, URL query encoding/decoding.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cpa::oauth::login {

using QueryPairs = std::vector<std::pair<std::string, std::string>>;

/// oauth.md §2.1: trimmed, non-empty, <= 128 chars, only [A-Za-z0-9._-], no "..".
bool isValidState(std::string_view state);

/// oauth.md §2.2: the canonical provider of a callback ("anthropic", "codex",
/// "gemini", "antigravity"), or "" when unsupported.
std::string normalizeCallbackProvider(std::string_view provider);

/// is_webui: trimmed, lower-cased value is 1/true/yes/on.
bool isTruthyFlag(std::string_view raw);

/// Form encoding like Go's url.Values.Encode: keys sorted, spaces as '+'.
std::string formEncode(QueryPairs pairs);
/// Decodes an x-www-form-urlencoded query ("a=1&b=two+words").
QueryPairs parseQuery(std::string_view query);
/// First value of `key` in `pairs`, "" when absent.
std::string firstValue(const QueryPairs& pairs, std::string_view key);

}  // namespace cpa::oauth::login
