#include "login/pkce.hpp"

#include <cpa/sdk/base64.hpp>
#include <cpa/sdk/hex.hpp>
#include <cpa/sdk/sha256.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace cpa::oauth::login {

std::string randomBytes(std::size_t n) {
    std::ifstream in("/dev/urandom", std::ios::binary);
    std::string out(n, '\0');
    if (!in || !in.read(out.data(), static_cast<std::streamsize>(n))) {
        throw std::runtime_error("random source unavailable");
    }
    return out;
}

std::string pkceChallenge(std::string_view verifier) { return sdk::base64UrlEncode(sdk::sha256Bytes(verifier)); }

PkceCodes generatePkce() {
    PkceCodes codes;
    codes.verifier = sdk::base64UrlEncode(randomBytes(96));
    codes.challenge = pkceChallenge(codes.verifier);
    return codes;
}

std::string randomHexState() { return sdk::hexLower(randomBytes(16)); }

std::string timeState(std::string_view prefix) {
    const auto ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    return std::string(prefix) + "-" + std::to_string(ns);
}

std::string randomUuid() {
    std::string b = randomBytes(16);
    b[6] = static_cast<char>((static_cast<unsigned char>(b[6]) & 0x0F) | 0x40);
    b[8] = static_cast<char>((static_cast<unsigned char>(b[8]) & 0x3F) | 0x80);
    const std::string hex = sdk::hexLower(b);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
           hex.substr(20);
}

}  // namespace cpa::oauth::login
