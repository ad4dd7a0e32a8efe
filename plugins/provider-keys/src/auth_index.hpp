#pragma once
// `auth-index` on family GET responses (management-api-core.md Appendix B):
// one CredentialIdGenerator walk per response over the listed entries; the
// index is that of the live credential with the same ID, if there is one.
#include <cpa/sdk/value.hpp>

#include <functional>
#include <string>

namespace cpa::provider_keys {

using AuthIndexDecorator = std::function<void(sdk::Value::Array& list, const sdk::Value& root)>;

/// gemini/claude/codex: parts (api-key, base-url), entries without a key skipped;
/// vertex: parts (api-key, base-url, proxy-url), nothing skipped.
AuthIndexDecorator keyFamilyAuthIndex(std::string provider, bool proxyInId, bool skipEmptyKey);
/// openai-compatibility: per key entry (api-key, base-url, proxy-url), or the
/// provider itself (base-url) when it has no key entries.
AuthIndexDecorator openAICompatAuthIndex();

}  // namespace cpa::provider_keys
