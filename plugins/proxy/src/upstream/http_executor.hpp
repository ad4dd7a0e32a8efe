#pragma once
// The Executor that performs one real HTTP(S) upstream call (data-plane §7–§10).
#include "exec/executor.hpp"

#include <cpa/sdk/module.hpp>

#include <memory>

namespace cpa::proxy {

std::unique_ptr<Executor> makeHttpExecutor(cpa::sdk::Logger& log);

}  // namespace cpa::proxy
