#pragma once
// The credentials of the five built-in key families (data-plane §4): what
// provider-keys contributes to cpa.CredentialSources/1, and what its
// auth-index decorations and /api-key-usage name. The families are this
// module's own; other modules contribute theirs through the same service.
#include <cpa/sdk/credential_sources.hpp>
#include <cpa/sdk/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace cpa::provider_keys {

/// A credential synthesised from one config entry.
struct ConfigCredential {
    std::string family;        ///< config key: gemini-api-key, vertex-api-key, claude-api-key, codex-api-key, openai-compatibility
    std::size_t entryIndex{};  ///< index in that list
    std::optional<std::size_t> keyEntryIndex;  ///< openai-compatibility: index in api-key-entries (none = key-less)
    std::string providerKey;   ///< gemini, vertex, claude, codex or lower(trim(name)) (default openai-compatibility)
    std::string compatName;    ///< openai-compatibility: lower(trim(name)); "" otherwise
    std::string id;            ///< kind:token
    std::string token;
    std::string authIndex;
    std::string apiKey;        ///< trimmed
    std::string baseUrl;       ///< trimmed, as configured ("" = provider default)
    std::string proxyUrl;      ///< trimmed (key entry's own for openai-compatibility)
    std::string source;        ///< config:<label>[<token>]
    sdk::Value entry;          ///< the whole list entry (provider entry for openai-compatibility)
};

/// Every config-derived credential of `root`, families in the order gemini,
/// vertex, claude, codex, openai-compatibility, entries in list order, with
/// the drop rules of data-plane §4 applied (blank api-key; duplicate
/// api-key+base-url for gemini/vertex; codex and openai-compatibility without
/// base-url; disabled openai-compatibility providers).
std::vector<ConfigCredential> synthesizeConfigCredentials(const sdk::Value& root);

/// One line per config entry synthesizeConfigCredentials() drops, with the
/// reason, e.g. "claude-api-key[1] dropped: api-key is empty" — so a typo in a
/// provider block is not silently a provider that never answers. Disabled
/// openai-compatibility providers are intended and not listed.
std::vector<std::string> droppedConfigEntries(const sdk::Value& root);

/// The same credentials as contributions: wire format, log label, models,
/// headers, excluded models, priority and prefix filled in.
sdk::CredentialSet contributedCredentials(const sdk::Value& root);

/// The source name provider-keys publishes under.
inline constexpr std::string_view kCredentialSource = "provider-keys";

}  // namespace cpa::provider_keys
