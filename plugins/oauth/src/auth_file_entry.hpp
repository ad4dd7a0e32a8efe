#pragma once
// One entry of GET /auth-files (auth-files.md §3.1): every field, keys in the
// original's order (alphabetical: the original renders a map).
#include "credential_record.hpp"

#include <cpa/sdk/value.hpp>

#include <functional>
#include <vector>

namespace cpa::oauth {

/// Entries for one record: the record itself, plus one runtime-only entry per
/// project of a Gemini CLI file whose project_id lists several.
std::vector<sdk::Value> authFileEntries(const StoredCredential& rec, std::int64_t nowNs);

/// Runtime state laid over an entry (status, unavailable, counters: tokens/runtime_overlay.hpp).
using EntryOverlay = std::function<void(const StoredCredential& rec, sdk::Value& entry)>;
/// The whole listing, sorted by lower-cased name.
sdk::Value authFilesListing(const std::vector<StoredPtr>& records, std::int64_t nowNs,
                            const EntryOverlay& overlay = {});

/// The 20 ten-minute buckets of `recent_requests`, oldest first, all zero
/// (request results are counted by the data plane, not yet wired to the store).
sdk::Value recentRequestBuckets(std::int64_t nowNs);

/// Claims of a Codex ID token (JWT payload, unverified); null when none.
sdk::Value codexIdTokenClaims(const sdk::Value& metadata);

/// Object members sorted by key (Go's map encoding).
sdk::Value sortedObject(sdk::Value::Object members);

/// Projects of a multi-project Gemini CLI file (project_id with commas); empty otherwise.
std::vector<std::string> virtualProjects(const StoredCredential& rec);

}  // namespace cpa::oauth
