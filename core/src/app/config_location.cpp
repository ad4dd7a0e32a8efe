#include "app/config_location.hpp"

#ifndef CPA_INSTALLED_EXAMPLE_CONFIG
#define CPA_INSTALLED_EXAMPLE_CONFIG "/usr/share/cpa/config.example.yaml"
#endif

namespace cpa::core {

std::optional<std::filesystem::path> locateConfig(const CliOptions& options, const std::filesystem::path& workingDir,
                                                  std::string& error) {
    if (options.configPath) return std::filesystem::path(*options.configPath);
    const std::filesystem::path binaryDir = executableDir();
    if (auto found = defaultConfigPath(workingDir, systemConfigPath(), binaryDir)) return found;
    error = "no config file: none of these exists:";
    for (const auto& p : defaultConfigCandidates(workingDir, systemConfigPath(), binaryDir)) error += "\n  " + p.string();
    error += "\nUse --config PATH, or copy the annotated example (" CPA_INSTALLED_EXAMPLE_CONFIG
             ", in a source tree config/config.example.yaml) to one of them";
    return std::nullopt;
}

}  // namespace cpa::core
