#include "credential_contribution.hpp"

#include <cpa/sdk/key_list_resource.hpp>

namespace cpa::oauth {

std::string oauthExecutorKind(std::string_view provider) { return "oauth:" + std::string(provider); }

sdk::CredentialSet fileContributions(const std::vector<StoredPtr>& records) {
    sdk::CredentialSet out;
    out.reserve(records.size());
    for (const StoredPtr& rec : records) {
        if (rec->disabled) continue;
        sdk::ContributedCredential c;
        c.id = rec->id;
        c.authIndex = rec->authIndex;
        c.provider = rec->provider;
        c.wire = oauthExecutorKind(rec->provider);
        c.family = std::string(kAuthFileFamily);
        c.label = rec->label;
        c.proxyUrl = metaString(rec->metadata, "proxy_url");
        c.prefix = sdk::normalizeModelPrefix(metaString(rec->metadata, "prefix"));
        if (const sdk::Value* p = rec->metadata.find("priority"); p && p->isInt()) c.priority = static_cast<int>(p->asInt());
        // Tokens stay in the credential store (refreshes rewrite the file); an
        // executor for the kind reads them there by id.
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace cpa::oauth
