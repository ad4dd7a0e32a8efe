// The read side of a connection, byte for byte from a raw socket: request
// bodies (Content-Length, chunked, Expect: 100-continue), pipelined requests,
// unread bodies, and the answers to heads that cannot be served.
#include "wire_fixture.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cpa::core::test {
namespace {

std::string post(const std::string& path, const std::string& body, const std::string& extra = "") {
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + extra + "Content-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
}

TEST_F(WireTest, ContentLengthBodyArrivesInPieces) {
    start();
    auto c = connect();
    c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhel");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    c.send("lo world");
    const RawHead head = c.readHead();
    EXPECT_EQ(head.statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(c.readExactly(14), "11:hello world");
}

TEST_F(WireTest, LargeBodyIsReadWhole) {
    start();
    auto c = connect();
    const std::string body = pattern(300 * 1024);
    c.send(post("/echo", body));
    const RawHead head = c.readHead();
    const std::string expected = std::to_string(body.size()) + ":" + body;
    EXPECT_EQ(head.get("Content-Length"), std::to_string(expected.size()));
    EXPECT_TRUE(c.readExactly(expected.size()) == expected);
}

TEST_F(WireTest, ChunkedBodyWithExtensionsAndTrailers) {
    start();
    auto c = connect();
    c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
           "5;ext=1\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n");
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(c.readExactly(19), "16:hello 0123456789");
    // The connection continues after the trailers.
    c.send("GET /n/2 HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(c.readExactly(7), "reply 2");
}

TEST_F(WireTest, BrokenChunkedBodyIs400AndCloses) {
    start();
    auto c = connect();
    c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
    const RawHead head = c.readHead();
    EXPECT_EQ(head.statusLine, "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(head.get("Connection"), "Close");
    c.readToClose();
    EXPECT_TRUE(c.peerClosed());
}

TEST_F(WireTest, ExpectContinueIsAnsweredWhenTheBodyIsRead) {
    start();
    auto c = connect();
    c.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    const RawHead interim = c.readHead();
    EXPECT_EQ(interim.statusLine, "HTTP/1.1 100 Continue");
    c.send("ping");
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(c.readExactly(6), "4:ping");
}

TEST_F(WireTest, ExpectContinueIsNotSentWhenTheBodyIsRefused) {
    start();
    auto c = connect();
    // No 100 for a body the handler never reads: the final answer comes first.
    c.send("POST /ignore HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    const RawHead head = c.readHead();
    EXPECT_EQ(head.statusLine, "HTTP/1.1 200 OK");
    // The body it would have sent is not waited for: the connection ends.
    EXPECT_EQ(head.get("Connection"), "Close");
    EXPECT_EQ(c.readExactly(7), "ignored");
    EXPECT_TRUE(c.peerClosed());
}

TEST_F(WireTest, PipelinedRequestsAreAnsweredInOrder) {
    start();
    auto c = connect();
    c.send(post("/echo", "first") + "GET /n/2 HTTP/1.1\r\nHost: x\r\n\r\n" + post("/ignore", "unread body") +
           "GET /n/4 HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(c.readExactly(7), "5:first");
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(c.readExactly(7), "reply 2");
    // An unread small body is drained, so the next request is still found.
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(c.readExactly(7), "ignored");
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(c.readExactly(7), "reply 4");
}

TEST_F(WireTest, UnservableHeadsGetGoStyleErrorsAndClose) {
    start();
    struct Case {
        std::string request;
        std::string status;
    };
    const std::vector<Case> cases = {
        {"GARBAGE\r\n\r\n", "400 Bad Request"},
        {"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "400 Bad Request"},
        {"POST /echo HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", "400 Bad Request"},
        {"POST /echo HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", "501 Not Implemented"},
        {"GET / HTTP/1.1\r\nX-Big: " + std::string(70 * 1024, 'a') + "\r\n\r\n", "431 Request Header Fields Too Large"},
        // Go's exact answer, reason in the status line and the body alike.
        {"GET /n/1 HTTP/1.1\r\nX-Other: y\r\n\r\n", "400 Bad Request: missing required Host header"},
    };
    for (const Case& k : cases) {
        auto c = connect();
        c.send(k.request);
        const RawHead head = c.readHead();
        EXPECT_EQ(head.statusLine, "HTTP/1.1 " + k.status) << k.request.substr(0, 60);
        EXPECT_EQ(head.get("Connection"), "close");
        EXPECT_EQ(c.readToClose(), k.status);
        EXPECT_TRUE(c.peerClosed());
    }
    // The server is unharmed.
    auto c = connect();
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
}

TEST_F(WireTest, Http10WithoutHostIsServed) {
    start();
    auto c = connect();
    c.send("GET /n/1 HTTP/1.0\r\n\r\n");
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.0 200 OK");
    EXPECT_EQ(c.readToClose(), "reply 1");
}

TEST_F(WireTest, ChunkedBodyOverTheLimitIs413EvenWhenTheHandlerCatchesIt) {
    ServerOptions opts = smallServer();
    opts.maxBodyBytes = 1024;
    start(opts);
    auto chunked = [](std::size_t size) {
        return "POST /catch-body HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" +
               std::string(0x400, 'a') + "\r\n" + (size > 0x400 ? "1\r\nb\r\n" : "") + "0\r\n\r\n";
    };
    {
        auto c = connect();
        c.send(chunked(1024));  // exactly the limit
        EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
        EXPECT_EQ(c.readExactly(4), "1024");
    }
    auto c = connect();
    c.send(chunked(1025));  // the handler turns the failed read into its own 400
    const RawHead head = c.readHead();
    EXPECT_EQ(head.statusLine, "HTTP/1.1 413 Request Entity Too Large");
    EXPECT_EQ(head.get("Connection"), "Close");
    EXPECT_EQ(c.readExactly(std::stoul(head.get("Content-Length"))), R"({"error":"request body too large"})");
}

TEST_F(WireTest, ClientClosingMidBodyIsNotAnswered) {
    start();
    {
        auto c = connect();
        c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial");
    }  // closed with 93 bytes missing
    // The handler saw a read failure (400) that could not be delivered; the
    // server goes on serving.
    auto c = connect();
    c.send(post("/echo", "ok"));
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(c.readExactly(4), "2:ok");
}

TEST_F(WireTest, AHeadTrickledInSlowerThanTheHeaderTimeoutIsCutOff) {
    ServerOptions opts = smallServer();
    opts.headerTimeoutSeconds = 1;
    start(opts);
    auto c = connect();
    const std::string head = "GET /n/1 HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(40, 'a');
    const auto begin = std::chrono::steady_clock::now();
    bool cut = false;
    // One byte every 100 ms: each read is within the timeout, the head never is.
    for (std::size_t i = 0; i < head.size() && !cut; ++i) {
        try {
            c.send(head.substr(i, 1));
        } catch (const Poco::Exception&) {
            cut = true;  // reset by the server
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (std::chrono::steady_clock::now() - begin > std::chrono::milliseconds(2500)) break;
    }
    EXPECT_EQ(c.readToClose(), "");  // closed without an answer
    EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::milliseconds(4000));
    // Others are served meanwhile and after.
    auto d = connect();
    d.send("GET /n/2 HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(d.readHead().statusLine, "HTTP/1.1 200 OK");
}

TEST_F(WireTest, AHandlerSeesTheClientHangUpWithoutWriting) {
    start();
    {
        auto c = connect();
        c.send("GET /wait-for-hangup HTTP/1.1\r\nHost: x\r\n\r\n");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        ASSERT_FALSE(hangupChecked.load());  // still connected: the handler keeps waiting
    }
    for (int i = 0; i < 1000 && !hangupChecked; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(hangupChecked.load());
    EXPECT_TRUE(hangupSeen.load());
}

TEST_F(WireTest, PipelinedBytesAreNotAHangUp) {
    start();
    auto c = connect();
    // The next request is already on the wire while the first waits.
    c.send("GET /wait-for-hangup HTTP/1.1\r\nHost: x\r\n\r\nGET /n/1 HTTP/1.1\r\nHost: x\r\n\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_FALSE(hangupChecked.load());
    c.socket().shutdownSend();  // a half-close is how the client says it is done
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(c.readExactly(4), "late");
    EXPECT_TRUE(hangupSeen.load());
}

}  // namespace
}  // namespace cpa::core::test
