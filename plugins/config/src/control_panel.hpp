#pragma once
// GET /management.html: the control panel from <config dir>/static/. This
// server never downloads it (it never reaches the internet on its own).
#include <cpa/sdk/module.hpp>

namespace cpa::config {

void registerControlPanel(sdk::RouteRegistry& routes, sdk::ModuleContext& context);

}  // namespace cpa::config
