#include "timestamp.hpp"

namespace cpa::usage {

namespace {
constexpr std::int64_t kGoZeroSeconds = -62135596800;  // 0001-01-01T00:00:00Z
}  // namespace

bool Timestamp::isZero() const noexcept { return seconds == kGoZeroSeconds && nanos == 0; }

}  // namespace cpa::usage
