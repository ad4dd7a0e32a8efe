#pragma once
// The two list members of `ampcode` and their rules (Appendix C):
// `model-mappings` (entries kept as given, matched by trimmed `from`) and
// `upstream-api-keys` (entries trimmed, blanks dropped, matched by trimmed
// `upstream-api-key`). Body parsing throws HttpError(400) before any write.
#include <cpa/sdk/value.hpp>

#include <functional>
#include <set>
#include <string>

namespace cpa::config {

struct AmpDeletion {
    bool clearAll{};
    std::set<std::string> remove;  ///< trimmed match keys
};

struct AmpList {
    std::string key;       ///< member of `ampcode`
    std::string matchKey;  ///< entry member PATCH and DELETE match on
    /// GET view of the stored member (null when absent).
    std::function<sdk::Value(const sdk::Value* stored)> view;
    /// PUT: the new list; null = remove the member.
    std::function<sdk::Value(const std::string& body)> put;
    /// PATCH: the entries to upsert.
    std::function<sdk::Value(const std::string& body)> patchItems;
    /// DELETE: what to remove.
    std::function<AmpDeletion(const std::string& body)> deletion;
};

/// PATCH: each item replaces the entry with the same trimmed match key or is
/// appended. Null result = leave the member absent.
sdk::Value upsertByKey(const sdk::Value* current, const sdk::Value& items, const std::string& matchKey);
/// Null result = remove the member.
sdk::Value applyDeletion(const sdk::Value* current, const AmpDeletion& del, const std::string& matchKey);

AmpList modelMappingsList();
AmpList upstreamApiKeysList();

}  // namespace cpa::config
