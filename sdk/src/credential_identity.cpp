#include <cpa/sdk/credential_identity.hpp>
#include <cpa/sdk/text.hpp>

#include <cpa/sdk/sha256.hpp>

namespace cpa::sdk {

namespace {

// The first `bytes` bytes of the digest, as hex.
std::string hexPrefix(std::string_view data, std::size_t bytes) { return sha256Hex(data).substr(0, bytes * 2); }

}  // namespace

std::string authIndexFromSeed(std::string_view seed) { return hexPrefix(seed, 8); }

std::string fileAuthIndex(std::string_view relativeName) {
    return authIndexFromSeed("file:" + std::string(relativeName));
}

std::string configAuthIndex(const ConfigSeed& s) {
    std::string seed = "config:provider=" + s.providerKey;
    const auto add = [&seed](std::string_view name, const std::string& value) {
        if (value.empty()) return;
        seed.push_back('\0');
        seed.append(name).push_back('=');
        seed.append(value);
    };
    add("compat", s.compatName);
    add("base", s.baseUrl);
    add("proxy", s.proxyUrl);
    add("api_key", s.apiKey);
    add("source", s.source);
    return authIndexFromSeed(seed);
}

CredentialIdGenerator::Id CredentialIdGenerator::next(std::string_view kind,
                                                      std::initializer_list<std::string_view> parts) {
    std::string data(kind);
    for (auto part : parts) {
        data.push_back('\0');
        data += trimAscii(part);
    }
    std::string token = hexPrefix(data, 6);
    const std::string key = std::string(kind) + ":" + token;
    const int n = seen_[key]++;
    if (n > 0) token += "-" + std::to_string(n);
    return Id{std::string(kind) + ":" + token, token};
}

}  // namespace cpa::sdk
