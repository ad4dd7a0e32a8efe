#pragma once
// Which config file a command uses: --config, else the system config
// (/etc/cpa/config.yaml), else ./config.yaml — never the tracked example.
#include "app/cli.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace cpa::core {

/// The config path, or nullopt with `error` naming every place tried.
std::optional<std::filesystem::path> locateConfig(const CliOptions& options, const std::filesystem::path& workingDir,
                                                  std::string& error);

}  // namespace cpa::core
