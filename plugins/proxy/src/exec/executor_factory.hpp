#pragma once
#include "exec/executor.hpp"

#include <cpa/sdk/module.hpp>

#include <memory>

namespace cpa::proxy {

/// The HTTP executor of src/upstream when it is built in; otherwise one that
/// answers every attempt with `executor_not_found` (data-plane §9.2, 500).
std::unique_ptr<Executor> makeExecutor(sdk::Logger& logger);

}  // namespace cpa::proxy
