#pragma once
// RFC 3339 in the server's local zone, as the records of docs/events.md want.
#include <chrono>
#include <string>

namespace cpa::proxy {

/// `2026-01-02T03:04:05.678+01:00` (fraction of `digits` digits; 3 or 9).
std::string rfc3339Local(std::chrono::system_clock::time_point t, int digits);

}  // namespace cpa::proxy
