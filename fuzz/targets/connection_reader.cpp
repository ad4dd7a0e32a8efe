// A client's byte stream over a real socket: request heads, Content-Length and
// chunked bodies, pipelined requests — what the core reads before any handler.
#include "http/connection_reader.hpp"

#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/StreamSocketImpl.h>

#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>

namespace {

// The whole input must fit the socket buffer: it is written before it is read.
constexpr std::size_t kMaxInput = 128 * 1024;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > kMaxInput) return 0;
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) std::abort();
    const int buf = static_cast<int>(kMaxInput * 2);
    ::setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
    ::setsockopt(fds[1], SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    std::size_t sent = 0;
    while (sent < size) {
        const ssize_t n = ::send(fds[0], data + sent, size - sent, MSG_NOSIGNAL);
        if (n <= 0) std::abort();
        sent += static_cast<std::size_t>(n);
    }
    ::close(fds[0]);  // end of stream after the input: every read ends
    Poco::Net::StreamSocket socket(new Poco::Net::StreamSocketImpl(fds[1]));
    cpa::core::ConnectionReader reader(socket);
    cpa::core::RequestHead head;
    char body[4096];
    for (int requests = 0; requests < 64; ++requests) {
        // Never Pending: the whole input is in the socket and the writer has closed.
        if (reader.readHead(head) != cpa::core::ConnectionReader::Head::Ok) break;
        try {
            while (reader.readBody(body, sizeof body) > 0) {
            }
        } catch (const std::exception&) {
            break;  // a broken body ends the connection, as the server does
        }
        if (!reader.bodyDone()) std::abort();  // readBody returned 0 before the end
    }
    return 0;
}
