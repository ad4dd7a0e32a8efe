#pragma once
// Deterministic credential identities shared by every module that names a
// credential: the provider-key GETs (auth-index, management-api-core App. B),
// the credential store (auth-files.md §1.3) and the data plane (data-plane §4).
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/value.hpp>

#include <cstddef>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::sdk {

/// Lower-case hex SHA-256 of `data` (64 characters).
CPA_SDK_API std::string sha256Hex(std::string_view data);

/// hex(first 8 bytes of SHA-256(seed)): the 16-character auth index.
CPA_SDK_API std::string authIndexFromSeed(std::string_view seed);

/// Auth index of a file-backed credential: seed `file:<name relative to auth-dir>` (D10).
CPA_SDK_API std::string fileAuthIndex(std::string_view relativeName);

/// Seed parts of a config-derived credential (data-plane §4.1, App. B step 3).
/// Empty parts are left out of the seed, as the original does.
struct ConfigSeed {
    std::string providerKey;  ///< gemini, claude, codex, vertex or the lower-cased compat name
    std::string compatName;   ///< openai-compatibility only: lower(trim(name))
    std::string baseUrl;
    std::string proxyUrl;
    std::string apiKey;
    std::string source;  ///< config:<label>[<token>]
};
CPA_SDK_API std::string configAuthIndex(const ConfigSeed& seed);

/// One synthesis pass of stable credential IDs: `kind:token`, token = first
/// 12 hex chars of SHA-256(kind || 0x00 trim(part) ...), repeats suffixed
/// `-1`, `-2`, ... within the same generator.
class CPA_SDK_API CredentialIdGenerator {
public:
    struct Id {
        std::string id;     ///< kind:token
        std::string token;  ///< the (possibly suffixed) short hash
    };
    Id next(std::string_view kind, std::initializer_list<std::string_view> parts);

private:
    std::map<std::string, int, std::less<>> seen_;
};

/// A credential synthesised from one config entry (data-plane §4).
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
    Value entry;               ///< the whole list entry (provider entry for openai-compatibility)
};

/// Every config-derived credential of `root`, families in the order gemini,
/// vertex, claude, codex, openai-compatibility, entries in list order, with
/// the drop rules of data-plane §4 applied (blank api-key; duplicate
/// api-key+base-url for gemini/vertex; codex and openai-compatibility without
/// base-url; disabled openai-compatibility providers).
CPA_SDK_API std::vector<ConfigCredential> synthesizeConfigCredentials(const Value& root);

}  // namespace cpa::sdk
