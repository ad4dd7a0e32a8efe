// A buffered response is written by ServerResponse::sendDirect (head and body
// in one send, the body in a second one past 64 KiB): the exact bytes on the
// wire, read from a raw socket.
#include "wire_fixture.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace cpa::core::test {
namespace {

const std::regex kHttpDate(R"(^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$)");
const std::regex kRequestId("^[0-9a-f]{16}$");

/// The head /fixed must produce, given the two values that change per request.
std::string fixedHead(const std::string& version, const RawHead& got, const std::string& connection,
                      const std::string& contentLength = "10") {
    return version + " 201 Created\r\n" +
           "Date: " + got.get("Date") + "\r\n" +
           "Connection: " + connection + "\r\n" +
           "X-Request-Id: " + got.get("X-Request-Id") + "\r\n" +
           "Access-Control-Allow-Origin: *\r\n"
           "Access-Control-Allow-Methods: GET, POST, PUT, PATCH, DELETE, OPTIONS\r\n"
           "Access-Control-Allow-Headers: *\r\n"
           "X-One: 1\r\n"
           "X-Multi: a\r\n"
           "X-Multi: b\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n"
           "Content-Length: " + contentLength + "\r\n"
           "\r\n";
}

void expectVolatileHeadersValid(const RawHead& head) {
    EXPECT_TRUE(std::regex_match(head.get("Date"), kHttpDate)) << head.get("Date");
    EXPECT_TRUE(std::regex_match(head.get("X-Request-Id"), kRequestId)) << head.get("X-Request-Id");
}

TEST_F(WireTest, GetIsOneExactResponse) {
    start();
    auto c = connect();
    c.send("GET /fixed HTTP/1.1\r\nHost: x\r\n\r\n");
    const RawHead head = c.readHead();
    expectVolatileHeadersValid(head);
    EXPECT_EQ(head.text, fixedHead("HTTP/1.1", head, "Keep-Alive"));
    EXPECT_EQ(c.readExactly(10), "hello wire");
    // Nothing after the body: the next bytes on this connection are the next response.
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    const RawHead next = c.readHead();
    EXPECT_EQ(next.statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(next.get("Content-Type"), "application/json; charset=utf-8");
    EXPECT_EQ(next.get("Content-Length"), "15");
    EXPECT_EQ(c.readExactly(15), R"({"status":"ok"})");
}

TEST_F(WireTest, HeadHasTheGetHeadersAndNoBody) {
    start();
    auto c = connect();
    c.send("HEAD /fixed HTTP/1.1\r\nHost: x\r\n\r\n");
    const RawHead head = c.readHead();
    expectVolatileHeadersValid(head);
    EXPECT_EQ(head.text, fixedHead("HTTP/1.1", head, "Keep-Alive"));
    // Had the body been sent, it would stand where this status line is read.
    c.send("GET /n/2 HTTP/1.1\r\nHost: x\r\n\r\n");
    const RawHead next = c.readHead();
    EXPECT_EQ(next.statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(c.readExactly(7), "reply 2");
}

TEST_F(WireTest, Http10GetsAnHttp10ResponseAndTheConnectionCloses) {
    start();
    auto c = connect();
    c.send("GET /fixed HTTP/1.0\r\n\r\n");
    const RawHead head = c.readHead();
    expectVolatileHeadersValid(head);
    EXPECT_EQ(head.text, fixedHead("HTTP/1.0", head, "Close"));
    EXPECT_EQ(c.readExactly(10), "hello wire");
    EXPECT_TRUE(c.peerClosed());
}

TEST_F(WireTest, Http10KeepAliveIsHonoured) {
    start();
    auto c = connect();
    for (int i = 0; i < 2; ++i) {
        c.send("GET /fixed HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
        const RawHead head = c.readHead();
        EXPECT_EQ(head.text, fixedHead("HTTP/1.0", head, "Keep-Alive")) << "request " << i;
        EXPECT_EQ(c.readExactly(10), "hello wire");
    }
}

TEST_F(WireTest, ConnectionCloseIsAnsweredThenClosed) {
    start();
    auto c = connect();
    c.send("GET /fixed HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const RawHead head = c.readHead();
    EXPECT_EQ(head.text, fixedHead("HTTP/1.1", head, "Close"));
    EXPECT_EQ(c.readExactly(10), "hello wire");
    EXPECT_TRUE(c.peerClosed());
}

TEST_F(WireTest, KeepAliveServesManyRequestsOnOneConnection) {
    start();
    auto c = connect();
    for (int i = 0; i < 5; ++i) {
        c.send("GET /n/" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        const RawHead head = c.readHead();
        EXPECT_EQ(head.statusLine, "HTTP/1.1 200 OK");
        EXPECT_EQ(head.get("Connection"), "Keep-Alive");
        EXPECT_EQ(head.get("Content-Length"), "7");
        EXPECT_EQ(c.readExactly(7), "reply " + std::to_string(i));
    }
    // Pipelined: three requests in one segment, three responses in order.
    c.send("GET /n/a HTTP/1.1\r\nHost: x\r\n\r\nGET /n/b HTTP/1.1\r\nHost: x\r\n\r\n"
           "GET /n/c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    for (const char* id : {"a", "b", "c"}) {
        const RawHead head = c.readHead();
        EXPECT_EQ(head.statusLine, "HTTP/1.1 200 OK") << id;
        EXPECT_EQ(c.readExactly(7), std::string("reply ") + id);
    }
    EXPECT_TRUE(c.peerClosed());
}

TEST_F(WireTest, NoContentHasNeitherLengthNorBody) {
    start();
    auto c = connect();
    c.send("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n");
    const RawHead head = c.readHead();
    EXPECT_EQ(head.statusLine, "HTTP/1.1 204 No Content");
    EXPECT_EQ(head.get("Content-Length"), "<absent>");
    EXPECT_EQ(head.get("Transfer-Encoding"), "<absent>");
    c.send("GET /n/z HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(c.readExactly(7), "reply z");
}

TEST_F(WireTest, LargeBodyIsSentWholeAfterItsHead) {
    start();
    auto c = connect();
    for (int i = 0; i < 2; ++i) {
        c.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
        const RawHead head = c.readHead();
        EXPECT_EQ(head.statusLine, "HTTP/1.1 200 OK");
        EXPECT_EQ(head.get("Content-Type"), "application/octet-stream");
        EXPECT_EQ(head.get("Content-Length"), std::to_string(100 * 1024));
        EXPECT_EQ(c.readExactly(100 * 1024), pattern(100 * 1024)) << "request " << i;
    }
    c.send("HEAD /big HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(c.readHead().get("Content-Length"), std::to_string(100 * 1024));
    c.send("GET /n/q HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(c.readExactly(7), "reply q");
}

}  // namespace
}  // namespace cpa::core::test
