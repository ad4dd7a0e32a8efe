// ResponseReader (src/upstream/http_wire.*) over a real loopback socket: a
// chunked body arriving in pieces of any size decodes to the same bytes.
#include "upstream/http_wire.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace cpa::proxy::upstream {
namespace {

struct Decoded {
    int status = 0;
    std::string body;
    ReadStatus last = ReadStatus::Error;
    bool reusable = false;
};

/// Serves `wire` in pieces of `piece` bytes (a short pause between them so
/// each piece is its own read) and decodes it with a ResponseReader.
Decoded readInPieces(const std::string& wire, std::size_t piece) {
    Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
    Poco::Net::StreamSocket client(listener.address());
    Poco::Net::StreamSocket server = listener.acceptConnection();
    server.setNoDelay(true);
    std::thread writer([&] {
        for (std::size_t at = 0; at < wire.size(); at += piece) {
            server.sendBytes(wire.data() + at, static_cast<int>(std::min(piece, wire.size() - at)));
            if (piece < wire.size()) std::this_thread::sleep_for(std::chrono::microseconds(300));
        }
    });
    Decoded d;
    ResponseReader reader(client);
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    if (reader.readHead(deadline) == ReadStatus::Data) {
        d.status = reader.status();
        for (;;) {
            d.last = reader.readBody(d.body, deadline);
            if (d.last != ReadStatus::Data) break;
        }
        d.reusable = reader.reusable();
    }
    writer.join();
    return d;
}

TEST(ResponseReader, DecodesChunkedBodiesWhateverTheReadBoundaries) {
    const std::string wire =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
        "1A\r\ndata: {\"a\":1}\n\ndata: {\"bb\"\r\n"  // 26 bytes, upper-case size
        "3;ext=1\r\n:2}\r\n"                        // a chunk extension is ignored
        "f\r\n\n\ndata: [DONE]\n\r\n"
        "0\r\nX-Trailer: t\r\n\r\n";
    const std::string expected = "data: {\"a\":1}\n\ndata: {\"bb\":2}\n\ndata: [DONE]\n";
    for (const std::size_t piece : {wire.size(), std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}}) {
        const Decoded d = readInPieces(wire, piece);
        EXPECT_EQ(d.status, 200) << "piece " << piece;
        EXPECT_EQ(d.body, expected) << "piece " << piece;
        EXPECT_EQ(d.last, ReadStatus::End) << "piece " << piece;
        EXPECT_TRUE(d.reusable) << "piece " << piece;
    }
}

TEST(ResponseReader, ChunkedBodyCutShortIsNotAnEnd) {
    const std::string wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel";
    Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
    Poco::Net::StreamSocket client(listener.address());
    {
        Poco::Net::StreamSocket server = listener.acceptConnection();
        server.sendBytes(wire.data(), static_cast<int>(wire.size()));
        server.close();
    }
    ResponseReader reader(client);
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    ASSERT_EQ(reader.readHead(deadline), ReadStatus::Data);
    std::string body;
    ReadStatus st;
    while ((st = reader.readBody(body, deadline)) == ReadStatus::Data) {
    }
    EXPECT_EQ(body, "hel");
    EXPECT_EQ(st, ReadStatus::Closed);
    EXPECT_FALSE(reader.reusable());
}

}  // namespace
}  // namespace cpa::proxy::upstream
