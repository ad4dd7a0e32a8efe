// parseRequestHead: the request line, header lines and the framing facts
// decided from them, on bytes alone.
#include "http/request_head.hpp"

#include <gtest/gtest.h>

namespace cpa::core {
namespace {

RequestHead parsed(std::string_view text, HeadError expected = HeadError::None) {
    RequestHead head;
    EXPECT_EQ(parseRequestHead(text, head), expected) << text;
    return head;
}

TEST(RequestHead, RequestLineAndHeadersInOrder) {
    const RequestHead h = parsed("POST /v1/chat?x=1 HTTP/1.1\r\nHost: a\r\nX-Two:  spaced value \t\r\nhost: b\r\n\r\n");
    EXPECT_EQ(h.method, "POST");
    EXPECT_EQ(h.target, "/v1/chat?x=1");
    EXPECT_FALSE(h.http10);
    ASSERT_EQ(h.headers.size(), 3u);
    EXPECT_EQ(h.headers[0], (sdk::Header{"Host", "a"}));
    EXPECT_EQ(h.headers[1], (sdk::Header{"X-Two", "spaced value"}));
    EXPECT_EQ(h.headers[2], (sdk::Header{"host", "b"}));
    ASSERT_NE(h.find("HOST"), nullptr);
    EXPECT_EQ(*h.find("HOST"), "a");  // the first of repeated fields
    EXPECT_EQ(h.find("missing"), nullptr);
    EXPECT_TRUE(h.keepAlive);
    EXPECT_FALSE(h.contentLength.has_value());
    EXPECT_FALSE(h.chunked);
}

TEST(RequestHead, BareLineFeedsLeadingEmptyLinesAndFoldedValues) {
    const RequestHead h = parsed("\r\n\nGET / HTTP/1.0\nX-Folded: one\n  two\n\ttwo-b\nEmpty:\n\n");
    EXPECT_EQ(h.method, "GET");
    EXPECT_TRUE(h.http10);
    EXPECT_EQ(*h.find("x-folded"), "one two two-b");
    EXPECT_EQ(*h.find("Empty"), "");
}

TEST(RequestHead, KeepAliveFollowsVersionAndConnectionTokens) {
    EXPECT_TRUE(parsed("GET / HTTP/1.1\r\nHost: h\r\n\r\n").keepAlive);
    EXPECT_FALSE(parsed("GET / HTTP/1.1\r\nHost: h\r\nConnection: Close\r\n\r\n").keepAlive);
    EXPECT_FALSE(parsed("GET / HTTP/1.1\r\nHost: h\r\nConnection: upgrade, close\r\n\r\n").keepAlive);
    EXPECT_FALSE(parsed("GET / HTTP/1.0\r\n\r\n").keepAlive);
    EXPECT_TRUE(parsed("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive);
    EXPECT_FALSE(parsed("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n").keepAlive);
}

TEST(RequestHead, BodyFraming) {
    EXPECT_EQ(parsed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 42\r\n\r\n").contentLength, 42u);
    EXPECT_EQ(parsed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\ncontent-length: 7\r\n\r\n").contentLength, 7u);
    EXPECT_TRUE(parsed("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n").chunked);
    EXPECT_TRUE(parsed("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n").chunked);
    EXPECT_TRUE(parsed("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\n\r\n").expectContinue);
    EXPECT_EQ(parsed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 18446744073709551615\r\n\r\n").contentLength,
              18446744073709551615u);
}

TEST(RequestHead, AmbiguousFramingIsRefused) {
    for (const char* bad : {"Content-Length: -1", "Content-Length: 1x", "Content-Length: ", "Content-Length: +5",
                            "Content-Length: 18446744073709551616", "Content-Length: 1\r\nContent-Length: 2",
                            "Content-Length: 3\r\nTransfer-Encoding: chunked"}) {
        parsed("POST / HTTP/1.1\r\n" + std::string(bad) + "\r\n\r\n", HeadError::Malformed);
    }
    parsed("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", HeadError::Malformed);
    parsed("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", HeadError::UnsupportedCoding);
    parsed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", HeadError::UnsupportedCoding);
}

TEST(RequestHead, MalformedHeadsAreRefused) {
    for (const char* bad : {"", "\r\n", "GET\r\n\r\n", "GET /\r\n\r\n", "GET / HTTP/2.0\r\n\r\n",
                            "GET / http/1.1\r\n\r\n", "GET /a b HTTP/1.1\r\n\r\n", "G(T / HTTP/1.1\r\n\r\n",
                            " GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nNo colon\r\n\r\n",
                            "GET / HTTP/1.1\r\n: empty name\r\n\r\n", "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
                            "GET / HTTP/1.1\r\n folded-first: x\r\n\r\n"}) {
        parsed(bad, HeadError::Malformed);
    }
    // Control bytes in a value or the target.
    parsed(std::string("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n", 26), HeadError::Malformed);
    parsed("GET /a\x01 HTTP/1.1\r\n\r\n", HeadError::Malformed);
}

TEST(RequestHead, Http11WithoutHostIsRefused) {
    parsed("GET / HTTP/1.1\r\nX-Other: h\r\n\r\n", HeadError::MissingHost);
    parsed("GET http://example.com/ HTTP/1.1\r\n\r\n", HeadError::MissingHost);  // Go wants the header too
    EXPECT_EQ(*parsed("GET / HTTP/1.1\r\nhost:\r\n\r\n").find("Host"), "");     // empty is present
    EXPECT_TRUE(parsed("GET / HTTP/1.0\r\n\r\n").http10);                         // 1.0 needs none
    parsed("CONNECT example.com:443 HTTP/1.1\r\n\r\n");
}

}  // namespace
}  // namespace cpa::core
