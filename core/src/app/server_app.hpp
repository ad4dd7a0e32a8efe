#pragma once
// cpa-server's wiring: config store → modules → router → HTTP server, started
// and stopped in the order of architecture.md §4.
#include "app/cli.hpp"
#include "http/http_server.hpp"

#include <cpa/sdk/config.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace cpa::core {

class ServerApp {
public:
    /// `binaryDir` locates the default modules directory and bundled config.
    ServerApp(CliOptions options, std::filesystem::path binaryDir);
    ~ServerApp();  ///< shuts down whatever is still running

    /// Opens the config, loads and starts the modules, starts listening and
    /// prints "cpa-server listening on <host>:<port>" to stderr. Returns 0
    /// when serving; otherwise everything started is stopped again, the
    /// reason is on stderr ("cpa-server: …") and the exit code is returned.
    int start();
    /// The bound port (after a successful start()).
    std::uint16_t port() const;
    /// The reverse of start(), each step logged; idempotent, never throws.
    void shutdown() noexcept;
    /// Re-reads the config file (SIGHUP).
    void reloadConfig() noexcept;

    ServerApp(const ServerApp&) = delete;
    ServerApp& operator=(const ServerApp&) = delete;

private:
    struct State;
    int startSteps();
    // startSteps' steps in start-up order (architecture.md §4). Those that
    // return a value return null/false after reporting a failed start-up.
    sdk::SnapshotPtr openConfig(const std::string& cwd, std::filesystem::path& configPath);
    std::vector<std::string> resolveDirectories(const sdk::ConfigSnapshot& snap, const std::filesystem::path& configPath,
                                                const std::string& cwd);
    bool startModules(const sdk::ConfigSnapshot& snap, const std::vector<std::string>& moduleDirs,
                      AccessGuards& guards);
    bool startServer(AccessGuards guards);
    void watchConfig();
    void announce();
    void failStartup(const std::string& message) noexcept;
    void failListen(const std::string& address, const std::string& reason) noexcept;

    CliOptions options_;
    std::filesystem::path binaryDir_;
    std::unique_ptr<State> state_;
};

/// The whole program: parse `args` (argv without argv[0]), print help or
/// version, or run the server until SIGTERM/SIGINT. Shutdown signals must
/// already be blocked (blockShutdownSignals) before any thread exists.
int serverMain(const std::vector<std::string>& args);

}  // namespace cpa::core
