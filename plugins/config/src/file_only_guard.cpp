#include "file_only_guard.hpp"

#include "text_util.hpp"

#include <crypt.h>

#include <cstring>
#include <memory>

namespace cpa::config {
namespace {

bool allowRemote(const sdk::Value& root) {
    const sdk::Value* v = root.findPath("remote-management.allow-remote");
    return v != nullptr && v->isBool() && v->asBool();
}

std::string secret(const sdk::Value& root) {
    return scalarText(root.findPath("remote-management.secret-key"));
}

bool looksLikeBcrypt(const std::string& s) {
    return s.size() > 4 && (s.starts_with("$2a$") || s.starts_with("$2b$") || s.starts_with("$2y$"));
}

}  // namespace

bool bcryptMatches(const std::string& plaintext, const std::string& hash) {
    if (!looksLikeBcrypt(hash)) return false;
    auto data = std::make_unique<crypt_data>();
    std::memset(data.get(), 0, sizeof(crypt_data));
    const char* out = crypt_rn(plaintext.c_str(), hash.c_str(), data.get(), sizeof(crypt_data));
    if (out == nullptr || out[0] == '*') return false;
    const std::size_t n = std::strlen(out);
    if (n != hash.size()) return false;
    // Constant time over the hash text: the plaintext is a management secret.
    unsigned char diff = 0;
    for (std::size_t i = 0; i < n; ++i) diff |= static_cast<unsigned char>(out[i] ^ hash[i]);
    return diff == 0;
}

bool keepsFileOnlySettings(const sdk::Value& current, const sdk::Value& candidate, const std::string& presentedKey) {
    if (allowRemote(current) != allowRemote(candidate)) return false;
    const std::string was = secret(current);
    const std::string now = secret(candidate);
    if (was == now) return true;
    if (was.empty() || now.empty() || !looksLikeBcrypt(was)) return false;
    if (!looksLikeBcrypt(now)) return bcryptMatches(now, was);
    // Two hashes of one secret differ by their salt: only the plaintext can
    // tie them, and the request carries it when it authenticated with it.
    // The candidate hash is checked first: a hash of another secret costs
    // one bcrypt, not two.
    return !presentedKey.empty() && bcryptMatches(presentedKey, now) && bcryptMatches(presentedKey, was);
}

}  // namespace cpa::config
