#pragma once
// How one credential file becomes a record (auth-files.md §1.2, §2.1): the
// SDK's FileCredential plus the times the listing shows.
#include "auth_dir.hpp"

#include <cpa/sdk/credentials.hpp>

#include <memory>
#include <optional>
#include <string>

namespace cpa::oauth {

struct StoredCredential : sdk::FileCredential {
    std::int64_t createdNs{};      ///< first registration in this process
    std::int64_t updatedNs{};      ///< last (re)registration
    std::int64_t lastRefreshNs{};  ///< from last_refresh & co., 0 when absent
    std::int64_t mtimeNs{};
};
using StoredPtr = std::shared_ptr<const StoredCredential>;

/// A record from a parsed file. nullopt-like nullptr when `content` is not an
/// object, or has no string `type` and `allowUntyped` is false (the loader
/// ignores such files; an upload registers them as provider "unknown").
/// `previous` (same name) keeps the creation time.
StoredPtr buildCredential(const std::filesystem::path& authDir, const FileInfo& info, const sdk::Value& content,
                          const StoredCredential* previous, bool allowUntyped);

/// Metadata string member, trimmed; "" when absent or not a string.
std::string metaString(const sdk::Value& metadata, std::string_view key);

}  // namespace cpa::oauth
