#pragma once
// The process's open-file limit, raised at start-up as Go's runtime raises
// it for the original: every connection holds a descriptor, a proxied stream
// two, and a distribution's default soft limit (1 024) would cap cpa at a few
// hundred streams while the hard limit allows far more.
#include <cstdint>

namespace cpa::core {

struct OpenFileLimit {
    std::uint64_t before{};  ///< soft limit found
    std::uint64_t after{};   ///< soft limit now (== before when unchanged or refused)
};

/// Sets the soft RLIMIT_NOFILE to the hard limit (no-op when equal; a refusal
/// leaves it as it was).
OpenFileLimit raiseOpenFileLimit() noexcept;

/// The soft RLIMIT_NOFILE now.
std::uint64_t openFileLimit() noexcept;

/// `http-server.max-threads` when the config does not set it: half the
/// open-file limit (a worker serving a proxied stream holds two descriptors),
/// at least 1 024 and at most 16 384.
int defaultMaxThreads(std::uint64_t openFiles) noexcept;

}  // namespace cpa::core
