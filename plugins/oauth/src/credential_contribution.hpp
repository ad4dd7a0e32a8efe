#pragma once
// The auth files as contributions to cpa.CredentialSources/1: one credential
// per enabled file, with an executor kind per file type ("oauth:<type>"), so
// the data plane routes them once it has an executor for that kind.
#include "credential_record.hpp"

#include <cpa/sdk/credential_sources.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cpa::oauth {

inline constexpr std::string_view kCredentialSource = "auth-files";
inline constexpr std::string_view kAuthFileFamily = "auth-file";

/// The executor kind of an auth file of type `provider` (e.g. "oauth:gemini-cli").
std::string oauthExecutorKind(std::string_view provider);

/// Enabled records in order; proxy_url, prefix and priority from the file;
/// excluded models = the file's `excluded_models` (or `excluded-models`)
/// merged with `oauth-excluded-models[<type>]` of `config`
/// (oauth-executors.md §1.2); a Codex file's `plan_type` (ID token) as attribute for its catalogue;
/// `oauth-model-alias[<type>]` as attribute `model_alias` ([{name, alias, fork}],
/// oauth-executors.md §1.4), which the data plane applies to the catalogue and to requests.
sdk::CredentialSet fileContributions(const std::vector<StoredPtr>& records, const sdk::ConfigSnapshot* config = nullptr);

}  // namespace cpa::oauth
