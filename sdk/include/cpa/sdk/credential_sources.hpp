#pragma once
// The credential sources service, kCredentialSourcesService: every module that
// holds upstream credentials contributes them here (provider-keys' config
// families, the oauth module's auth files, third-party provider plugins), and
// the data plane routes whatever is contributed, by wire format. Since SDK 2.0.
#include <cpa/sdk/config.hpp>
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/services.hpp>
#include <cpa/sdk/value.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cpa::sdk {

/// Wire formats the data plane executes (ContributedCredential::wire). Any
/// other kind (e.g. an OAuth file's "oauth:gemini-cli") is accepted and kept,
/// but not routed until the data plane has an executor for it.
namespace wire {
/// POST <base-url>/chat/completions, `Authorization: Bearer <api-key>` (openai-compatibility rules).
inline constexpr std::string_view kOpenAIChat = "openai-chat";
/// POST <base-url>/v1/messages (claude-api-key).
inline constexpr std::string_view kClaudeMessages = "claude-messages";
/// generativelanguage-style <base-url>/v1beta/models/<model>:<method> (gemini-api-key).
inline constexpr std::string_view kGemini = "gemini";
/// Vertex AI publisher models with an API key (vertex-api-key).
inline constexpr std::string_view kVertex = "vertex";
/// POST <base-url>/responses (codex-api-key).
inline constexpr std::string_view kCodexResponses = "codex-responses";
}  // namespace wire

/// One model a credential offers: `name` upstream, `alias` to clients ("" = name).
struct ModelAlias {
    std::string name;
    std::string alias;
    bool operator==(const ModelAlias&) const = default;
};

/// One upstream credential as a module contributes it. Plain data: nothing
/// in it points into the contributing module's code.
struct ContributedCredential {
    std::string id;         ///< unique across all sources, stable across reloads (e.g. CredentialIdGenerator's kind:token)
    std::string authIndex;  ///< configAuthIndex / fileAuthIndex: names it in usage records and management views
    std::string provider;   ///< routing and usage key: "gemini", "claude", a compat name, "mistral", ...
    std::string wire;       ///< wire::k… or another executor kind (see namespace wire)
    std::string family;     ///< what it came from: config key ("mistral-api-key") or "auth-file"
    std::string label;      ///< shown in request logs (e.g. "gemini-apikey", a compat provider's name)
    std::string apiKey;     ///< secret: never log it
    std::string baseUrl;    ///< "" = the wire's default endpoint
    std::string proxyUrl;   ///< "" = the global proxy-url
    std::vector<std::pair<std::string, std::string>> headers;  ///< extra upstream headers
    std::vector<ModelAlias> models;            ///< empty = the data plane's catalogue for the wire, if any
    std::vector<std::string> excludedModels;   ///< lower-cased patterns, '*' wildcards
    int priority{};
    std::string prefix;     ///< model prefix ("team" → "team/<model>"), normalised
    Value attributes;       ///< source-specific extras (e.g. an auth file's metadata); may be null
};
using CredentialSet = std::vector<ContributedCredential>;
using CredentialSetPtr = std::shared_ptr<const CredentialSet>;

class CPA_SDK_API CredentialSources {
public:
    virtual ~CredentialSources();
    /// Replaces everything `source` contributed (an empty set withdraws it)
    /// and notifies the listeners before returning. Call it at configure()
    /// and on every change (config reload, file change). Credentials without
    /// an id are dropped; an id another source already contributes is
    /// dropped too (first contribution wins).
    virtual void publish(std::string_view source, CredentialSet credentials) = 0;
    /// Every source's contribution, sources in first-publication order.
    /// Immutable once returned; one atomic load, no lock and no copy.
    virtual CredentialSetPtr snapshot() const = 0;
    /// Called after every publication on the publishing thread, serialised
    /// (one at a time); read snapshot() there. Must not throw. Releasing the
    /// handle waits for a call in progress on another thread.
    virtual Subscription subscribe(std::function<void()> listener) = 0;
};

/// Provided by the core before any module is configured (and by FakeContext).
inline constexpr ServiceKey<CredentialSources> kCredentialSourcesService{"cpa.CredentialSources/1"};

/// The implementation the core provides.
CPA_SDK_API std::shared_ptr<CredentialSources> makeCredentialSources();

/// The members every provider-key entry may carry, read as leniently as a
/// hand-edited file needs: headers (blank names/values dropped), models
/// (`[{name, alias}]` or `["name"]`; `requireAlias`: entries without both
/// are dropped), excluded-models (trimmed, lower-cased, de-duplicated),
/// priority (int or numeric string), prefix (normalizeModelPrefix) and proxy-url.
CPA_SDK_API void readCommonEntryFields(ContributedCredential& credential, const Value& entry, bool requireAlias = false);

}  // namespace cpa::sdk
