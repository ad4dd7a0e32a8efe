#pragma once
// cpa-server's wiring: config store → modules → router → HTTP server, started
// and stopped in the order of architecture.md §4.
#include "app/cli.hpp"

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
