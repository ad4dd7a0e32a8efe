#pragma once
#include <string>

namespace cpa::core {

/// A fresh request id: 16 lower-case hex characters (64 bits from the kernel's
/// CSPRNG, buffered per thread). Thread-safe; never throws for lack of entropy
/// (falls back to a per-thread generator seeded from std::random_device).
std::string newRequestId();

}  // namespace cpa::core
