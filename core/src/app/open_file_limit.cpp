#include "app/open_file_limit.hpp"

#include <algorithm>

#include <sys/resource.h>

namespace cpa::core {

std::uint64_t openFileLimit() noexcept {
    rlimit r{};
    if (::getrlimit(RLIMIT_NOFILE, &r) != 0) return 0;
    return r.rlim_cur == RLIM_INFINITY ? UINT64_MAX : static_cast<std::uint64_t>(r.rlim_cur);
}

OpenFileLimit raiseOpenFileLimit() noexcept {
    rlimit r{};
    if (::getrlimit(RLIMIT_NOFILE, &r) != 0) return {};
    OpenFileLimit out{r.rlim_cur, r.rlim_cur};
    if (r.rlim_cur >= r.rlim_max) return out;
    rlimit raised = r;
    raised.rlim_cur = r.rlim_max;
    // An unlimited hard limit is refused for descriptors (fs.nr_open caps it):
    // the soft limit then stays, as Go leaves it.
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) out.after = raised.rlim_cur;
    return out;
}

int defaultMaxThreads(std::uint64_t openFiles) noexcept {
    constexpr std::uint64_t kMin = 1024, kMax = 16384;
    return static_cast<int>(std::clamp<std::uint64_t>(openFiles / 2, kMin, kMax));
}

}  // namespace cpa::core
