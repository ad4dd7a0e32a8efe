#pragma once
// Routable credentials: what the modules contributed to
// cpa.CredentialSources/1 (data-plane §4) that this data plane can execute,
// and the models each one offers (data-plane.md §5.1–§5.3).
#include "exec/executor.hpp"

#include <cpa/sdk/config.hpp>
#include <cpa/sdk/credential_sources.hpp>
#include <cpa/sdk/module.hpp>
#include <cpa/sdk/value.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cpa::proxy {

using ModelMapping = sdk::ModelAlias;

/// One `oauth-model-alias[<provider>]` entry applied to an OAuth file (oauth-executors.md §1.4).
struct OAuthModelAlias {
    std::string name;   ///< the upstream model
    std::string alias;  ///< what clients ask for
    bool fork{};        ///< the upstream name stays offered too
};

struct Credential {
    std::shared_ptr<const UpstreamCredential> upstream;
    std::string id;
    std::string providerKey;
    std::string family;
    std::string wire;         ///< sdk::wire::k… (only those the executor builds)
    std::string label;        ///< request-log label; `owned_by` of OpenAI-compatible models
    std::string prefix;       ///< normalised; "" = none
    int priority{};
    bool hasModelList{};      ///< `models` present and non-empty
    std::vector<ModelMapping> models;
    std::vector<std::string> excludedModels;  ///< lower-cased patterns
    std::string fingerprint;  ///< every attribute; a change replaces the credential (data-plane.md §4.2)
    std::string catalogSection;  ///< built-in catalogue section when `models` is empty ("" = the wire's)
    /// The projects of one Gemini CLI account share this key (the file's id;
    /// "" otherwise): `quota-exceeded.switch-project` tries them first.
    std::string accountKey;
    std::vector<OAuthModelAlias> oauthAliases;  ///< OAuth files: the provider's oauth-model-alias entries

    /// OAuth files: the upstream name `oauth-model-alias` maps `model` (prefix
    /// removed, thinking suffix allowed) to, without suffix; "" when no alias
    /// matches (oauth-executors.md §1.4, first entry per alias wins).
    std::string oauthUpstreamFor(std::string_view model) const;

    /// OpenAI-compatible credentials follow the openai-compatibility rules (data-plane.md §5.1, §6.5).
    bool isCompat() const { return wire == sdk::wire::kOpenAIChat; }
    /// Key-less compat credentials are not API-key credentials: no alias resolution (data-plane.md §6.5 quirk).
    bool isApiKeyCredential() const { return !upstream->apiKey.empty(); }
};
using CredentialPtr = std::shared_ptr<const Credential>;

/// Whether the executor builds requests for this wire format.
bool executableWire(std::string_view wire);

/// `oauth-upstreams:` (issue 20): the base URL per OAuth provider.
struct OAuthUpstreams {
    std::string claude{"https://api.anthropic.com"};
    std::string codex{"https://chatgpt.com/backend-api/codex"};
    std::string geminiCli{"https://cloudcode-pa.googleapis.com"};
    std::string kimi{"https://api.kimi.com/coding"};
    /// Tried in order (oauth-executors.md §3.4.1); a file's `base_url` replaces the list.
    std::vector<std::string> antigravity{"https://daily-cloudcode-pa.googleapis.com",
                                         "https://cloudcode-pa.googleapis.com"};
};
OAuthUpstreams oauthUpstreamsFrom(const sdk::ConfigSnapshot& snapshot);

/// The contributed credentials this data plane can route, in contribution
/// order. A credential of a kind the executor cannot serve (e.g. an OAuth
/// file of a provider without an executor yet) is skipped with a debug line.
/// OAuth credentials get their base URL from `upstreams`.
std::vector<CredentialPtr> routableCredentials(const sdk::CredentialSet& contributed, sdk::Logger& logger,
                                               const OAuthUpstreams& upstreams = {});

/// Registry entries (JSON objects with at least `id`) the credential offers,
/// after excluded models and prefix expansion (data-plane.md §5.1–§5.3). `nowUnix` is the
/// registration time given to config models.
std::vector<sdk::Value> offeredModels(const Credential& cred, bool forceModelPrefix, std::int64_t nowUnix);

}  // namespace cpa::proxy
