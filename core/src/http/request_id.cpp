#include "http/request_id.hpp"

#include <cpa/sdk/hex.hpp>

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <random>

namespace cpa::core {

namespace {

// One getrandom() call per 32 ids instead of one per request.
struct RandomPool {
    std::array<unsigned char, 256> bytes{};
    std::size_t used = bytes.size();

    bool refill() noexcept {
        std::size_t got = 0;
        while (got < bytes.size()) {
            const ssize_t n = ::getrandom(bytes.data() + got, bytes.size() - got, 0);
            if (n < 0) {
                if (errno == EINTR) continue;
                return false;
            }
            got += static_cast<std::size_t>(n);
        }
        used = 0;
        return true;
    }

    std::uint64_t next() {
        if (used + 8 > bytes.size() && !refill()) return fallback();
        std::uint64_t v = 0;
        std::memcpy(&v, bytes.data() + used, 8);
        // Never hand out the same bytes twice.
        std::memset(bytes.data() + used, 0, 8);
        used += 8;
        return v;
    }

    static std::uint64_t fallback() {
        thread_local std::mt19937_64 gen = [] {
            std::random_device rd;
            std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
            return std::mt19937_64(seq);
        }();
        return gen();
    }
};

}  // namespace

std::string newRequestId() {
    thread_local RandomPool pool;
    std::uint64_t v = pool.next();
    std::string id(16, '0');
    for (int i = 15; i >= 0; --i) {
        id[static_cast<std::size_t>(i)] = sdk::kHexLower[v & 0xF];
        v >>= 4;
    }
    return id;
}

bool safeClientRequestId(std::string_view id) noexcept {
    if (id.empty() || id.size() > 64) return false;
    for (const char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

}  // namespace cpa::core
