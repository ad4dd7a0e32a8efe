#include <cpa/sdk/credential_identity.hpp>
#include <cpa/sdk/text.hpp>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

namespace cpa::sdk {

namespace {

Poco::DigestEngine::Digest sha256(std::string_view data) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(data.data(), static_cast<unsigned>(data.size()));
    return engine.digest();
}

std::string hex(const Poco::DigestEngine::Digest& d, std::size_t bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes * 2);
    for (std::size_t i = 0; i < bytes && i < d.size(); ++i) {
        out.push_back(kDigits[d[i] >> 4]);
        out.push_back(kDigits[d[i] & 0x0f]);
    }
    return out;
}

}  // namespace

std::string sha256Hex(std::string_view data) { return hex(sha256(data), 32); }

std::string authIndexFromSeed(std::string_view seed) { return hex(sha256(seed), 8); }

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
    std::string token = hex(sha256(data), 6);
    const std::string key = std::string(kind) + ":" + token;
    const int n = seen_[key]++;
    if (n > 0) token += "-" + std::to_string(n);
    return Id{std::string(kind) + ":" + token, token};
}

}  // namespace cpa::sdk
