// Streamed responses on the wire: Poco's chunked stream for small writes,
// ServerResponse::writeDirect (one chunk, one sendmsg) for writes >= 16 KiB,
// both interleaved; HTTP/1.0 streams end with the connection; a client that
// goes away makes write() return false.
#include "wire_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <vector>

namespace cpa::core::test {
namespace {

using namespace std::chrono_literals;

std::string expectedBody(const std::vector<std::size_t>& sizes) {
    std::string body;
    char salt = 0;
    for (std::size_t n : sizes) body += pattern(n, salt++);
    return body;
}

std::string sizesQuery(const std::vector<std::size_t>& sizes) {
    std::string q;
    for (std::size_t n : sizes) q += (q.empty() ? "" : ",") + std::to_string(n);
    return q;
}

TEST_F(WireTest, SmallStreamedWritesAreChunked) {
    start();
    auto c = connect();
    const std::vector<std::size_t> sizes{5, 100, 3000, 1};
    c.send("GET /stream?sizes=" + sizesQuery(sizes) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    const RawHead head = c.readHead();
    EXPECT_EQ(head.statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(head.get("Transfer-Encoding"), "chunked");
    EXPECT_EQ(head.get("Content-Length"), "<absent>");
    EXPECT_EQ(head.get("Content-Type"), "application/x-test-stream");
    EXPECT_EQ(head.get("Connection"), "Keep-Alive");
    std::vector<std::size_t> chunks;
    EXPECT_EQ(c.readChunkedBody(&chunks), expectedBody(sizes));
    // One chunk per flushed write, then the terminating zero chunk.
    EXPECT_EQ(chunks, (std::vector<std::size_t>{5, 100, 3000, 1, 0}));
    // The connection is reusable after the terminating chunk.
    c.send("GET /n/k HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(c.readExactly(7), "reply k");
}

TEST_F(WireTest, LargeStreamedWritesAreOneChunkEachAndStayInOrder) {
    start();
    auto c = connect();
    // Small writes around large ones: the small ones sit in Poco's buffer and
    // must reach the wire before the large chunk that follows them.
    const std::vector<std::size_t> sizes{10, 16 * 1024, 7, 65536, 3, 300 * 1024, 16 * 1024 - 1, 2};
    for (const char* flush : {"1", "0"}) {
        c.send("GET /stream?flush=" + std::string(flush) + "&sizes=" + sizesQuery(sizes) +
               " HTTP/1.1\r\nHost: x\r\n\r\n");
        const RawHead head = c.readHead();
        EXPECT_EQ(head.get("Transfer-Encoding"), "chunked");
        std::vector<std::size_t> chunks;
        const std::string body = c.readChunkedBody(&chunks);
        ASSERT_EQ(body.size(), expectedBody(sizes).size()) << "flush=" << flush;
        EXPECT_TRUE(body == expectedBody(sizes)) << "flush=" << flush;
        // Each large write is exactly one chunk of its own size.
        for (std::size_t big : {std::size_t{16 * 1024}, std::size_t{65536}, std::size_t{300 * 1024}})
            EXPECT_NE(std::find(chunks.begin(), chunks.end(), big), chunks.end()) << big << " flush=" << flush;
        EXPECT_EQ(chunks.back(), 0u);
    }
}

TEST_F(WireTest, Http10StreamIsCloseDelimitedWithoutChunking) {
    start();
    auto c = connect();
    const std::vector<std::size_t> sizes{10, 20000, 7, 70000, 1};
    c.send("GET /stream?sizes=" + sizesQuery(sizes) + " HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
    const RawHead head = c.readHead();
    EXPECT_EQ(head.statusLine, "HTTP/1.0 200 OK");
    EXPECT_EQ(head.get("Transfer-Encoding"), "<absent>");
    EXPECT_EQ(head.get("Content-Length"), "<absent>");
    // Even a client asking for keep-alive: the body can only end with the connection.
    EXPECT_EQ(head.get("Connection"), "Close");
    const std::string body = c.readToClose();
    ASSERT_EQ(body.size(), expectedBody(sizes).size());
    EXPECT_TRUE(body == expectedBody(sizes));
}

TEST_F(WireTest, HeadOfAStreamHasNoBody) {
    start();
    auto c = connect();
    c.send("HEAD /stream?sizes=20,20000 HTTP/1.1\r\nHost: x\r\n\r\n");
    const RawHead head = c.readHead();
    EXPECT_EQ(head.statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(head.get("Transfer-Encoding"), "<absent>");
    // Had body bytes been sent, they would stand where this status line is read.
    c.send("GET /n/h HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(c.readExactly(7), "reply h");
}

void disconnectMidStream(const std::string& request, std::atomic<bool>& ended,
                         std::atomic<bool>& writeFailed, std::uint16_t port) {
    {
        RawConnection c(port);
        c.send(request);
        c.readHead();
        c.readExactly(64 * 1024);  // the stream is flowing
        // Unread data at close: the kernel resets the connection.
        c.socket().setLinger(true, 0);
        c.socket().close();
    }
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!ended && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    EXPECT_TRUE(ended) << "the handler kept writing to a closed connection";
    EXPECT_TRUE(writeFailed);
}

TEST_F(WireTest, ClientGoneMidStreamMakesWriteReturnFalse) {
    start();
    disconnectMidStream("GET /firehose HTTP/1.1\r\nHost: x\r\n\r\n", firehoseEnded, firehoseWriteFailed,
                        server->port());
    // The server is unharmed.
    auto c = connect();
    c.send("GET /n/1 HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(c.readExactly(7), "reply 1");
}

TEST_F(WireTest, ClientGoneMidHttp10StreamMakesWriteReturnFalse) {
    start();
    disconnectMidStream("GET /firehose HTTP/1.0\r\n\r\n", firehoseEnded, firehoseWriteFailed, server->port());
    auto c = connect();
    c.send("GET /n/2 HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
}

TEST_F(WireTest, AStreamsHeadGoesOutWithItsFirstBytes) {
    start();
    auto c = connect();
    c.send("GET /stream-later HTTP/1.1\r\nHost: x\r\n\r\n");
    // stream() alone sends nothing (as Go's net/http: the head waits for the first flush).
    EXPECT_FALSE(c.socket().poll(Poco::Timespan(0, 200 * 1000), Poco::Net::Socket::SELECT_READ));
    releaseStream = true;
    const RawHead head = c.readHead();
    EXPECT_EQ(head.statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(head.get("Transfer-Encoding"), "chunked");
    EXPECT_EQ(c.readChunkedBody(), "first");
}

}  // namespace
}  // namespace cpa::core::test
