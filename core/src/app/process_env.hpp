#pragma once
// The process's working directory and home, as start-up resolves paths.
#include <string>

namespace cpa::core {

/// The working directory, or "." when it cannot be read.
std::string currentDir();
/// $HOME, else the passwd entry (services started without a login
/// environment), else "".
std::string homeDir();
/// MANAGEMENT_PASSWORD is set to something other than blanks.
bool managementPasswordSet();

}  // namespace cpa::core
