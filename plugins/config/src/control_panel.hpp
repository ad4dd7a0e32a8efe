#pragma once
// GET /management.html: the control panel from <config dir>/static/. The core
// downloads it there (core/src/panel, A16); this route only serves the file.
#include <cpa/sdk/module.hpp>

namespace cpa::config {

void registerControlPanel(sdk::RouteRegistry& routes, sdk::ModuleContext& context);

}  // namespace cpa::config
