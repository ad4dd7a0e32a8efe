#pragma once
// Deterministic credential identities shared by every module that names a
// credential: the provider-key GETs (auth-index, management-api-core App. B),
// the credential store (auth-files.md §1.3) and every contribution to
// cpa.CredentialSources/1 (credential_sources.hpp; data-plane §4).
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/sha256.hpp>  // sha256Hex, declared here before SDK 2.3

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

namespace cpa::sdk {

/// hex(first 8 bytes of SHA-256(seed)): the 16-character auth index.
CPA_SDK_API std::string authIndexFromSeed(std::string_view seed);

/// Auth index of a file-backed credential: seed `file:<name relative to auth-dir>` (D10).
CPA_SDK_API std::string fileAuthIndex(std::string_view relativeName);

/// Seed parts of a config-derived credential (data-plane §4.1, App. B step 3).
/// Empty parts are left out of the seed, as the original does.
struct ConfigSeed {
    std::string providerKey;  ///< e.g. gemini, claude, codex, vertex, a lower-cased compat name
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

}  // namespace cpa::sdk
