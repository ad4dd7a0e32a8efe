#pragma once
// Routable credentials synthesised from config.yaml (data-plane §4): the
// SDK's identities plus the common rules (prefix, headers, priority,
// excluded-models, models), and the models each one offers (§5.1–§5.3).
#include "exec/executor.hpp"

#include <cpa/sdk/value.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cpa::proxy {

struct ModelMapping {
    std::string name;   ///< upstream model
    std::string alias;  ///< client-visible model ("" = name)
};

struct Credential {
    std::shared_ptr<const UpstreamCredential> upstream;
    std::string id;
    std::string providerKey;
    std::string family;
    std::string prefix;       ///< normalised; "" = none
    std::string ownerName;    ///< openai-compatibility: `name` as configured
    int priority{};
    bool hasModelList{};      ///< `models` present and non-empty
    std::vector<ModelMapping> models;
    std::vector<std::string> excludedModels;  ///< lower-cased patterns
    std::string fingerprint;  ///< every attribute; a change replaces the credential (§4.2)

    bool isCompat() const { return family == "openai-compatibility"; }
    /// Key-less compat credentials are not API-key credentials: no alias resolution (§6.5 quirk).
    bool isApiKeyCredential() const { return !upstream->apiKey.empty(); }
};
using CredentialPtr = std::shared_ptr<const Credential>;

/// Every credential of the document, in synthesis order (§4).
std::vector<CredentialPtr> credentialsFromConfig(const sdk::Value& root);

/// The prefix rule of §4: trimmed, '/' stripped at both ends, discarded if it still holds '/'.
std::string normalisePrefix(const std::string& raw);

/// Registry entries (JSON objects with at least `id`) the credential offers,
/// after excluded models and prefix expansion (§5.1–§5.3). `nowUnix` is the
/// registration time given to config models.
std::vector<sdk::Value> offeredModels(const Credential& cred, bool forceModelPrefix, std::int64_t nowUnix);

}  // namespace cpa::proxy
