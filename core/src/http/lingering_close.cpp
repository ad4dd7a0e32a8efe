#include "http/lingering_close.hpp"

#include <chrono>
#include <cstddef>

namespace cpa::core {

void lingeringClose(Poco::Net::StreamSocket& socket) noexcept {
    try {
        socket.shutdownSend();
        socket.setReceiveTimeout(Poco::Timespan(0, 100 * 1000));
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
        std::size_t discarded = 0;
        char buf[16384];
        while (std::chrono::steady_clock::now() < until && discarded < 8 * 1024 * 1024) {
            const int n = socket.receiveBytes(buf, sizeof buf);
            if (n <= 0) break;
            discarded += static_cast<std::size_t>(n);
        }
    } catch (...) {
        // Timeout or reset: the connection is finished either way.
    }
}

}  // namespace cpa::core
