#include "auth_index.hpp"

#include "config_credentials.hpp"
#include "entry_codec.hpp"

#include <cpa/sdk/credential_identity.hpp>
#include <cpa/sdk/key_list_resource.hpp>

#include <algorithm>
#include <cctype>
#include <map>

namespace cpa::provider_keys {

namespace {

/// The live credential set: ID → runtime auth index.
std::map<std::string, std::string> liveIndices(const Value& root) {
    std::map<std::string, std::string> out;
    for (const auto& c : synthesizeConfigCredentials(root)) out.emplace(c.id, c.authIndex);
    return out;
}

void setIndex(Value& target, const std::map<std::string, std::string>& live, const std::string& id) {
    if (const auto it = live.find(id); it != live.end()) target.set("auth-index", it->second);
}

}  // namespace

AuthIndexDecorator keyFamilyAuthIndex(std::string provider, bool proxyInId, bool skipEmptyKey) {
    return [provider = std::move(provider), proxyInId, skipEmptyKey](Value::Array& list, const Value& root) {
        const auto live = liveIndices(root);
        sdk::CredentialIdGenerator ids;
        const std::string kind = provider + ":apikey";
        for (Value& e : list) {
            const std::string key = str(e, "api-key"), base = str(e, "base-url"), proxy = str(e, "proxy-url");
            if (skipEmptyKey && sdk::trimSpace(key).empty()) continue;
            const auto id = proxyInId ? ids.next(kind, {key, base, proxy}) : ids.next(kind, {key, base});
            setIndex(e, live, id.id);
        }
    };
}

AuthIndexDecorator openAICompatAuthIndex() {
    return [](Value::Array& list, const Value& root) {
        const auto live = liveIndices(root);
        sdk::CredentialIdGenerator ids;
        for (Value& provider : list) {
            std::string name = sdk::trimSpace(str(provider, "name"));
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            const std::string kind = "openai-compatibility:" + (name.empty() ? "openai-compatibility" : name);
            const std::string base = str(provider, "base-url");
            Value* keys = provider.find("api-key-entries");
            if (keys == nullptr || !keys->isArray() || keys->size() == 0) {
                setIndex(provider, live, ids.next(kind, {base}).id);
                continue;
            }
            for (Value& k : keys->asArray()) {
                setIndex(k, live, ids.next(kind, {str(k, "api-key"), base, str(k, "proxy-url")}).id);
            }
        }
    };
}

}  // namespace cpa::provider_keys
