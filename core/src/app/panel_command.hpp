#pragma once
// `cpa-server panel fetch [--config PATH] [--output PATH]`: one fetch of the
// web panel, for hosts that cannot reach the release feed themselves (fetch
// on a connected machine, copy the file to <config dir>/static/).
#include "app/cli.hpp"

namespace cpa::core {

/// Target: --output (a directory gets management.html inside), else
/// <config dir>/static/management.html. Feed, pin and proxy come from the
/// config when there is one (read, never written); with --output and no
/// config, the defaults. Returns 0 when the file is current, 1 otherwise.
int panelFetchCommand(const CliOptions& options);

}  // namespace cpa::core
