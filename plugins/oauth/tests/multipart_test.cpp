#include "multipart.hpp"

#include <cpa/sdk/testing/fake_http.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace cpa::oauth {
namespace {

sdk::testing::FakeRequest upload(const std::string& body) {
    sdk::testing::FakeRequest req(sdk::Method::Post, "/v0/management/auth-files", body);
    req.setHeader("Content-Type", "multipart/form-data; boundary=x");
    return req;
}

TEST(Multipart, PartsInOrderWithFieldAndFileNames) {
    const auto parts = parseMultipart(
        upload("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.json\"\r\n\r\n{\"type\":\"claude\"}"
               "\r\n--x\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--x--\r\n"));
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].field, "file");
    EXPECT_EQ(parts[0].fileName, "a.json");
    EXPECT_EQ(parts[0].content, "{\"type\":\"claude\"}");
    EXPECT_EQ(parts[1].field, "note");
    EXPECT_EQ(parts[1].content, "hi");
}

// Found by the multipart fuzz target: Poco's reader took the 0xFF byte for
// the end of input and returned the same part forever (a request never
// answered, memory growing).
TEST(Multipart, AByte0xFFInAPartHeaderIsMalformedNotAnEndlessLoop) {
    EXPECT_THROW(parseMultipart(upload("--x\r\nA: b\xff")), std::invalid_argument);
    EXPECT_THROW(parseMultipart(upload("--x\r\nContent-Disposition: form-data; name=x; file\xff\xff")),
                 std::invalid_argument);
}

TEST(Multipart, NoBoundaryIsRefused) {
    sdk::testing::FakeRequest req(sdk::Method::Post, "/v0/management/auth-files", "--x\r\n\r\n");
    req.setHeader("Content-Type", "multipart/form-data");
    EXPECT_THROW(parseMultipart(req), std::invalid_argument);
}

}  // namespace
}  // namespace cpa::oauth
