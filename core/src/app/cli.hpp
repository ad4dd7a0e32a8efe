#pragma once
// Command line of cpa-server: what to run with, or what to print instead.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cpa::core {

struct CliOptions {
    /// CheckConfig: `--check-config` / `-t`; PanelFetch: `panel fetch`;
    /// StoreImport: `store import --config F` (F's configuration into the shared store).
    enum class Action { Run, Version, Help, CheckConfig, PanelFetch, StoreImport };
    Action action = Action::Run;
    std::optional<std::string> configPath;  ///< --config
    std::optional<std::string> modulesDir;  ///< --modules-dir
    std::optional<std::string> outputPath;  ///< panel fetch --output (a file or a directory)
};

/// A command line that cannot be run: `message` goes to stderr with a usage
/// hint, the process exits with status 2.
struct CliError {
    std::string message;
};

/// Parses argv[1..]. Returns CliOptions, or sets `error` and returns nullopt.
std::optional<CliOptions> parseCli(const std::vector<std::string>& args, CliError& error);

/// The --help text (every flag, the default config lookup, the environment).
std::string usageText(const std::string& program);
/// The --version text: server version, commit, build date, SDK version and ABI.
std::string versionText();

/// The system-wide config the binary was built for:
/// `<CMAKE_INSTALL_FULL_SYSCONFDIR>/cpa/config.yaml` (/etc/cpa/config.yaml
/// for a /usr build).
std::filesystem::path systemConfigPath();

/// Where the config comes from when --config is absent, in order:
/// `systemConfig` (and /etc/cpa/config.yaml when that differs), the config of
/// an install tree moved elsewhere (`<binaryDir>/../etc/cpa/config.yaml`, when
/// `binaryDir` is given), then `config.yaml` in `workingDir`. Never the bundled example: that one is
/// read-only reference (installed) or tracked source (a build tree), and the
/// server writes beside its config. nullopt when none exists.
std::optional<std::filesystem::path> defaultConfigPath(const std::filesystem::path& workingDir,
                                                       const std::filesystem::path& systemConfig,
                                                       const std::filesystem::path& binaryDir = {});
/// Every candidate defaultConfigPath() tries (for the error message).
std::vector<std::filesystem::path> defaultConfigCandidates(const std::filesystem::path& workingDir,
                                                           const std::filesystem::path& systemConfig,
                                                           const std::filesystem::path& binaryDir = {});

/// Directory of the running executable (/proc/self/exe), or "" when unknown.
std::filesystem::path executableDir();

}  // namespace cpa::core
