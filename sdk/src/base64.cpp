#include <cpa/sdk/base64.hpp>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>

#include <sstream>
#include <stdexcept>

namespace cpa::sdk {

namespace {

std::string encode(std::string_view bytes, int options) {
    std::ostringstream out;
    Poco::Base64Encoder enc(out, options);
    enc.rdbuf()->setLineLength(0);
    enc.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    enc.close();
    return out.str();
}

}  // namespace

std::string base64Encode(std::string_view bytes) { return encode(bytes, 0); }

std::string base64UrlEncode(std::string_view bytes) {
    return encode(bytes, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
}

std::string base64UrlDecode(std::string_view text) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    if (text.size() % 4 == 1) throw std::invalid_argument("invalid base64url length");
    // Poco's decoder skips white space and takes one alphabet: check and map first.
    std::string url(text);
    for (char& c : url) {
        if (c == '+') c = '-';
        else if (c == '/') c = '_';
        else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            throw std::invalid_argument("invalid base64url character");
    }
    std::istringstream in(url);
    Poco::Base64Decoder dec(in, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    try {
        return std::string(std::istreambuf_iterator<char>(dec), std::istreambuf_iterator<char>());
    } catch (const Poco::Exception&) {
        throw std::invalid_argument("invalid base64url text");
    }
}

}  // namespace cpa::sdk
