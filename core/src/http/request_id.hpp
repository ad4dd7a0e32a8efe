#pragma once
#include <string>
#include <string_view>

namespace cpa::core {

/// A fresh request id: 16 lower-case hex characters (64 bits from the kernel's
/// CSPRNG, buffered per thread). Thread-safe; never throws for lack of entropy
/// (falls back to a per-thread generator seeded from std::random_device).
std::string newRequestId();

/// Whether a client's X-Request-Id is kept as the request's id (issue 25): 1 to
/// 64 characters of [A-Za-z0-9._-]; anything else is replaced by newRequestId().
bool safeClientRequestId(std::string_view id) noexcept;

}  // namespace cpa::core
