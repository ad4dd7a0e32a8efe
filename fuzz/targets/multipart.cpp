// multipart/form-data upload bodies (auth-file uploads, Vertex import). The
// input's first line is the Content-Type header value, the rest the body.
#include "multipart.hpp"

#include <cpa/sdk/testing/fake_http.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return 0;
    cpa::sdk::testing::FakeRequest req(cpa::sdk::Method::Post, "/v0/management/auth-files",
                                       std::string(text.substr(nl + 1)));
    req.setHeader("Content-Type", std::string(text.substr(0, nl)));
    try {
        const auto parts = cpa::oauth::parseMultipart(req);
        (void)cpa::oauth::fileParts(parts);
        (void)cpa::oauth::formValue(parts, "file");
    } catch (const std::invalid_argument&) {
        // A malformed body is a 400, not a crash.
    }
    (void)cpa::oauth::mediaType(req);
    return 0;
}
