#pragma once
// The real cpa-server binary as a child process in a temp dir.
#include "temp_dir.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace cpa::test {

/// Path of the cpa-server built with this tree.
std::string serverBinary();

struct ServerProcessOptions {
    std::string configText;                 ///< written to <dir>/config.yaml
    std::optional<std::string> modulesDir;  ///< passed as --modules-dir
    std::vector<std::string> extraArgs;     ///< appended after --config
    /// Environment overrides (HOME defaults to <dir>/home; MANAGEMENT_PASSWORD
    /// is removed unless set here).
    std::map<std::string, std::string> env;
    std::chrono::milliseconds startTimeout{10000};
};

/// Starts cpa-server with `--config <dir>/config.yaml` in a fresh temp dir
/// (also its working directory), stdout/stderr captured to files there, and
/// waits for the "cpa-server listening on <host>:<port>" line. Throws
/// std::runtime_error (with the captured stderr) when the line does not come.
class ServerProcess {
public:
    explicit ServerProcess(ServerProcessOptions options);
    /// Convenience: just a config text.
    explicit ServerProcess(std::string configText);
    ~ServerProcess();  ///< SIGKILL if still running, then the temp dir goes

    std::uint16_t port() const noexcept { return port_; }
    pid_t pid() const noexcept { return pid_; }
    const std::filesystem::path& dir() const noexcept { return dir_.path(); }
    std::filesystem::path configPath() const { return dir_.path() / "config.yaml"; }

    void signal(int sig);
    void sigterm();
    /// Exit code (128+N when killed by signal N); nullopt on timeout.
    std::optional<int> waitExit(std::chrono::milliseconds timeout);
    bool running();

    std::string stderrText() const;
    std::string stdoutText() const;

    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

private:
    TempDir dir_;
    pid_t pid_ = -1;
    std::optional<int> exitCode_;
    std::uint16_t port_ = 0;
};

struct RunResult {
    int exitCode = -1;  ///< -1: did not exit within the timeout (then killed)
    std::string stdoutText;
    std::string stderrText;
};

/// Runs cpa-server to completion in a fresh temp dir (its working directory).
/// When `configText` is given it is written to <dir>/config.yaml. In `args`,
/// "@DIR@" is replaced by the temp dir and "@CONFIG@" by <dir>/config.yaml.
/// A server that starts listening instead of failing is stopped with SIGTERM.
RunResult runServerExpectFailure(const std::vector<std::string>& args,
                                 const std::optional<std::string>& configText = std::nullopt,
                                 std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));

/// The port from a "cpa-server listening on <host>:<port>" line in `text`.
std::optional<std::uint16_t> parseListeningPort(const std::string& text);

}  // namespace cpa::test
