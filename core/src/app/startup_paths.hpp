#pragma once
// Resolves the directories lent to modules (sdk::Paths) from the config
// snapshot, the command line and the binary's location.
#include <cpa/sdk/config.hpp>
#include <cpa/sdk/module.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cpa::core {

struct PathInputs {
    std::filesystem::path configFile;                ///< as given (may be relative)
    std::optional<std::string> cliModulesDir;        ///< --modules-dir
    std::filesystem::path workingDir;                ///< process working directory
    std::filesystem::path binaryDir;                 ///< directory of cpa-server
    std::string home;                                ///< $HOME ("" = unknown)
};

/// configFile/configDir: absolute. authDir: `auth-dir` with `~` expanded,
/// relative → working directory, default `~/.cli-proxy-api`. logDir:
/// `logs-dir` or `<configDir>/logs`; dataDir: `data-dir` or `<configDir>/data`
/// (relative values → relative to the config's directory). modulesDir: the
/// first of modulesDirs().
sdk::Paths resolvePaths(const sdk::ConfigSnapshot& snapshot, const PathInputs& in);

/// The modules directories, in load order, without repeats: --modules-dir
/// (relative → working directory) > `modules-dir` (relative → the config's
/// directory) > `<binaryDir>/../lib/cpa/modules` (or the install tree's libdir
/// shape when that exists). Both take a list: the option and a string value
/// separate directories with ':' (like PATH), the config key may also be a
/// YAML list; e.g. the stock directory and one for third-party modules.
std::vector<std::string> modulesDirs(const sdk::ConfigSnapshot& snapshot, const PathInputs& in);

/// The config's `modules` list (names; integers read as their digits), or
/// nullopt when the key is absent (every module found is loaded).
std::optional<std::vector<std::string>> enabledModules(const sdk::ConfigSnapshot& snapshot);

/// `~` and `~/x` → home-based; anything else unchanged.
std::string expandHome(const std::string& path, const std::string& home);

}  // namespace cpa::core
