#pragma once
// The `/ampcode` endpoints (management-api-core.md Appendix C): the Amp
// integration block, kept editable so the Management Center's Amp page works
// even though the Amp data plane itself is not part of cpa yet.
#include <cpa/sdk/module.hpp>

namespace cpa::config {

void registerAmpcodeRoutes(sdk::RouteRegistry& routes, sdk::ModuleContext& context);

}  // namespace cpa::config
