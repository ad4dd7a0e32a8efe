#pragma once
// The pool's credential states as /metrics samples (issue 25), through the
// metrics module's `cpa.MetricSources/1` when it is loaded.
#include "routing/credential_pool.hpp"

#include <cpa/sdk/services.hpp>

#include <memory>

namespace cpa::proxy {

/// Registers the source; null when no metrics module is loaded. Reset the
/// handle before the pool goes away.
std::shared_ptr<void> addCredentialMetrics(sdk::Services& services, const CredentialPool& pool);

}  // namespace cpa::proxy
