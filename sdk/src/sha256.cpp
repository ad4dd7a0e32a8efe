#include <cpa/sdk/sha256.hpp>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

namespace cpa::sdk {

std::string sha256Bytes(std::string_view data) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(data.data(), static_cast<unsigned>(data.size()));
    const auto& digest = engine.digest();
    return std::string(digest.begin(), digest.end());
}

std::string sha256Hex(std::string_view data) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(data.data(), static_cast<unsigned>(data.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

}  // namespace cpa::sdk
