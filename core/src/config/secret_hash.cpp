#include "config/secret_hash.hpp"

#include "auth/constant_time.hpp"

#include <crypt.h>
#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace cpa::core {
namespace {

constexpr std::size_t kMaxBcryptInput = 72;
constexpr std::size_t kSaltBytes = 16;

void randomBytes(unsigned char* out, std::size_t n) {
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = ::getrandom(out + got, n - got, 0);
        if (r > 0) {
            got += static_cast<std::size_t>(r);
        } else if (r < 0 && errno == EINTR) {
            continue;
        } else {
            break;
        }
    }
    if (got == n) return;
    std::ifstream urandom("/dev/urandom", std::ios::binary);
    if (!urandom.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(n))) {
        throw std::runtime_error("no source of random bytes");
    }
}

}  // namespace

bool looksLikeBcrypt(std::string_view s) noexcept {
    if (s.size() <= 4) return false;
    const std::string_view p = s.substr(0, 4);
    return p == "$2a$" || p == "$2b$" || p == "$2y$";
}

std::string bcryptHash(const std::string& plain, int cost, const char* prefix) {
    if (plain.size() > kMaxBcryptInput) throw std::runtime_error("secret longer than 72 bytes");
    if (plain.find('\0') != std::string::npos) throw std::runtime_error("secret contains a NUL byte");
    unsigned char rnd[kSaltBytes];
    randomBytes(rnd, sizeof rnd);
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!::crypt_gensalt_rn(prefix, static_cast<unsigned long>(cost), reinterpret_cast<const char*>(rnd),
                            static_cast<int>(sizeof rnd), setting, static_cast<int>(sizeof setting))) {
        throw std::runtime_error(std::string("crypt_gensalt failed: ") + std::strerror(errno));
    }
    auto data = std::make_unique<crypt_data>();  // ~32 KiB: keep it off the stack
    const char* out = ::crypt_rn(plain.c_str(), setting, data.get(), static_cast<int>(sizeof(crypt_data)));
    if (!out || out[0] == '*') throw std::runtime_error(std::string("crypt failed: ") + std::strerror(errno));
    std::string hash(out);
    std::memset(data.get(), 0, sizeof(crypt_data));  // it held the plaintext
    return hash;
}

bool bcryptVerify(const std::string& plain, const std::string& hash) {
    if (!looksLikeBcrypt(hash)) return false;
    if (plain.size() > kMaxBcryptInput || plain.find('\0') != std::string::npos) return false;
    auto data = std::make_unique<crypt_data>();
    const char* out = ::crypt_rn(plain.c_str(), hash.c_str(), data.get(), static_cast<int>(sizeof(crypt_data)));
    bool ok = out && out[0] != '*' && constantTimeEquals(out, hash);
    std::memset(data.get(), 0, sizeof(crypt_data));
    return ok;
}

}  // namespace cpa::core
