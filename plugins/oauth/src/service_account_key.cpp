#include "service_account_key.hpp"

#include "auth_dir.hpp"

#include <cpa/sdk/base64.hpp>
#include <cpa/sdk/text.hpp>

#include <openssl/bio.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>

namespace cpa::oauth {

namespace {

// Builds a new string (in-place replace() trips GCC 12's -Wrestrict at -O2).
std::string replaceAll(std::string_view s, std::string_view from, std::string_view to) {
    std::string out;
    out.reserve(s.size());
    std::size_t start = 0;
    for (std::size_t pos; (pos = s.find(from, start)) != std::string_view::npos; start = pos + from.size()) {
        out.append(s.substr(start, pos - start)).append(to);
    }
    out.append(s.substr(start));
    return out;
}

// ESC '[' params final-byte sequences removed.
std::string stripAnsi(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\x1b' && i + 1 < s.size() && s[i + 1] == '[') {
            std::size_t j = i + 2;
            while (j < s.size() && !(s[j] >= '@' && s[j] <= '~')) ++j;
            i = j;
            continue;
        }
        out.push_back(s[i]);
    }
    return out;
}

std::string validUtf8Only(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = len > 0 && i + len <= s.size();
        for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
        if (ok) {
            out.append(s, i, len);
            i += len;
        } else {
            ++i;
        }
    }
    return out;
}

std::string opensslError() {
    const unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (e == 0) return "malformed key";
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    return buf;
}

std::string base64Decode(const std::string& in) {
    constexpr const char* kFailed = "private_key is not valid pem: private_key base64 decode failed";
    if (in.size() % 4 != 0) throw std::invalid_argument(kFailed);
    try {
        return sdk::base64UrlDecode(in);  // either alphabet, padded
    } catch (const std::invalid_argument&) {
        throw std::invalid_argument(kFailed);
    }
}

}  // namespace

std::string normalizePrivateKey(std::string_view raw) {
    std::string pk = replaceAll(raw, "\r\n", "\n");
    pk = replaceAll(pk, "\r", "\n");
    pk = sdk::trimAscii(validUtf8Only(stripAnsi(pk)));

    const bool rsa = pk.find("RSA PRIVATE KEY") != std::string::npos;
    const std::string kind = rsa ? "RSA PRIVATE KEY" : "PRIVATE KEY";
    const std::string header = "-----BEGIN " + kind + "-----", footer = "-----END " + kind + "-----";
    const auto start = pk.find(header);
    const auto end = pk.find(footer);
    if (start == std::string::npos || end == std::string::npos || end <= start)
        throw std::invalid_argument("private_key is not valid pem: missing pem markers");
    std::string payload;
    for (char c : pk.substr(start + header.size(), end - start - header.size())) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
            c == '=')
            payload.push_back(c);
    }
    if (payload.empty()) throw std::invalid_argument("private_key is not valid pem: private_key base64 payload empty");
    const std::string der = base64Decode(payload);

    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size())), &EVP_PKEY_free);
    if (!key) {
        throw std::invalid_argument(std::string(rsa ? "private_key invalid rsa: " : "private_key invalid pkcs8: ") +
                                    opensslError());
    }
    if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) throw std::invalid_argument("private_key is not an RSA key");

    std::unique_ptr<OSSL_ENCODER_CTX, decltype(&OSSL_ENCODER_CTX_free)> enc(
        OSSL_ENCODER_CTX_new_for_pkey(key.get(), OSSL_KEYMGMT_SELECT_KEYPAIR, "PEM", "type-specific", nullptr),
        &OSSL_ENCODER_CTX_free);
    unsigned char* data = nullptr;
    std::size_t len = 0;
    if (!enc || OSSL_ENCODER_to_data(enc.get(), &data, &len) != 1)
        throw std::invalid_argument("private_key uses unsupported format");
    std::string out(reinterpret_cast<char*>(data), len);
    OPENSSL_free(data);
    return out;
}

}  // namespace cpa::oauth
