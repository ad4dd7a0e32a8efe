#include "server_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

#ifndef CPA_SERVER_BINARY
#error "CPA_SERVER_BINARY must name the cpa-server executable"
#endif

namespace cpa::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kListening = "cpa-server listening on ";

std::vector<std::string> childEnvironment(const fs::path& dir, const std::map<std::string, std::string>& overrides) {
    std::map<std::string, std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string kv(*e);
        const auto eq = kv.find('=');
        if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    // Hermetic defaults: the default auth-dir (~/.cli-proxy-api) lands in the
    // temp dir, and a developer's MANAGEMENT_PASSWORD does not leak in.
    env["HOME"] = (dir / "home").string();
    env.erase("MANAGEMENT_PASSWORD");
    // No test reaches the internet: the web panel's release feed is GitHub
    // unless a test points it at a loopback fake (and sets this to "1").
    env["CPA_PANEL_AUTO_UPDATE"] = "0";
    for (const auto& [k, v] : overrides) env[k] = v;
    std::vector<std::string> out;
    for (const auto& [k, v] : env) out.push_back(k + "=" + v);
    return out;
}

std::vector<char*> cStrings(std::vector<std::string>& v) {
    std::vector<char*> out;
    for (std::string& s : v) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

// fork + execve; only async-signal-safe calls between the two (the test
// process has threads).
pid_t spawn(std::vector<std::string> args, const fs::path& cwd, std::vector<std::string> env) {
    std::string outPath = (cwd / "stdout.txt").string();
    std::string errPath = (cwd / "stderr.txt").string();
    std::string cwdStr = cwd.string();
    std::vector<char*> argv = cStrings(args);
    std::vector<char*> envp = cStrings(env);
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        const int out = ::open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        const int err = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (out < 0 || err < 0 || in < 0) ::_exit(126);
        ::dup2(in, STDIN_FILENO);
        ::dup2(out, STDOUT_FILENO);
        ::dup2(err, STDERR_FILENO);
        if (::chdir(cwdStr.c_str()) != 0) ::_exit(126);
        // The server must not inherit the test's sockets (a listener held by a
        // child would outlive the test that opened it).
        if (::close_range(3, ~0U, 0) != 0) {
            for (int fd = 3; fd < 4096; ++fd) ::close(fd);
        }
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    return pid;
}

std::optional<int> decode(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return std::nullopt;
}

// Polls the child; returns its exit code once it is gone.
std::optional<int> pollExit(pid_t pid) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return decode(status);
    if (r < 0 && errno == ECHILD) return -1;
    return std::nullopt;
}

std::optional<int> waitFor(pid_t pid, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (auto code = pollExit(pid)) return code;
        if (Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

void replaceAll(std::string& s, const std::string& from, const std::string& to) {
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
        s.replace(pos, from.size(), to);
    }
}

}  // namespace

std::string serverBinary() { return CPA_SERVER_BINARY; }

std::optional<std::uint16_t> parseListeningPort(const std::string& text) {
    const auto at = text.find(kListening);
    if (at == std::string::npos) return std::nullopt;
    const auto eol = text.find('\n', at);
    if (eol == std::string::npos) return std::nullopt;  // line not complete yet
    const std::string line = text.substr(at, eol - at);
    const auto colon = line.rfind(':');
    if (colon == std::string::npos || colon + 1 >= line.size()) return std::nullopt;
    try {
        std::size_t used = 0;
        const unsigned long port = std::stoul(line.substr(colon + 1), &used);
        if (used != line.size() - colon - 1 || port == 0 || port > 65535) return std::nullopt;
        return static_cast<std::uint16_t>(port);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

ServerProcess::ServerProcess(std::string configText)
    : ServerProcess(ServerProcessOptions{std::move(configText), std::nullopt, {}, {}, std::chrono::milliseconds(10000)}) {}

ServerProcess::ServerProcess(ServerProcessOptions options) : dir_("cpa-it") {
    fs::create_directories(dir_.path() / "home");
    dir_.write("config.yaml", options.configText);
    std::vector<std::string> args{serverBinary(), "--config", configPath().string()};
    if (options.modulesDir) {
        args.push_back("--modules-dir");
        args.push_back(*options.modulesDir);
    }
    args.insert(args.end(), options.extraArgs.begin(), options.extraArgs.end());
    pid_ = spawn(args, dir_.path(), childEnvironment(dir_.path(), options.env));

    const auto deadline = Clock::now() + options.startTimeout;
    for (;;) {
        if (auto p = parseListeningPort(stderrText())) {
            port_ = *p;
            return;
        }
        if (auto code = pollExit(pid_)) {
            exitCode_ = code;
            throw std::runtime_error("cpa-server exited with " + std::to_string(*code) +
                                     " before listening; stderr:\n" + stderrText());
        }
        if (Clock::now() >= deadline) {
            ::kill(pid_, SIGKILL);
            exitCode_ = waitFor(pid_, std::chrono::milliseconds(5000));
            throw std::runtime_error("cpa-server did not report listening in time; stderr:\n" + stderrText());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

ServerProcess::~ServerProcess() {
    if (pid_ > 0 && !exitCode_) {
        ::kill(pid_, SIGKILL);
        waitFor(pid_, std::chrono::milliseconds(5000));
    }
}

void ServerProcess::signal(int sig) {
    if (pid_ > 0 && !exitCode_) ::kill(pid_, sig);
}

void ServerProcess::sigterm() { signal(SIGTERM); }

std::optional<int> ServerProcess::waitExit(std::chrono::milliseconds timeout) {
    if (!exitCode_) exitCode_ = waitFor(pid_, timeout);
    return exitCode_;
}

bool ServerProcess::running() {
    if (exitCode_) return false;
    exitCode_ = pollExit(pid_);
    return !exitCode_;
}

std::string ServerProcess::stderrText() const { return readFile(dir_.path() / "stderr.txt"); }
std::string ServerProcess::stdoutText() const { return readFile(dir_.path() / "stdout.txt"); }

RunResult runServerExpectFailure(const std::vector<std::string>& args, const std::optional<std::string>& configText,
                                 std::chrono::milliseconds timeout) {
    TempDir dir("cpa-it");
    fs::create_directories(dir.path() / "home");
    const fs::path config = dir.path() / "config.yaml";
    if (configText) dir.write("config.yaml", *configText);
    std::vector<std::string> argv{serverBinary()};
    for (std::string a : args) {
        replaceAll(a, "@CONFIG@", config.string());
        replaceAll(a, "@DIR@", dir.path().string());
        argv.push_back(std::move(a));
    }
    const pid_t pid = spawn(argv, dir.path(), childEnvironment(dir.path(), {}));

    RunResult result;
    const auto deadline = Clock::now() + timeout;
    std::optional<int> code;
    for (;;) {
        if ((code = pollExit(pid))) break;
        if (parseListeningPort(readFile(dir.path() / "stderr.txt"))) {
            // It started although the caller expected a failure: stop it, let the
            // exit code (0) tell the story.
            ::kill(pid, SIGTERM);
            code = waitFor(pid, std::chrono::milliseconds(35000));
            break;
        }
        if (Clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!code) {
        ::kill(pid, SIGKILL);
        waitFor(pid, std::chrono::milliseconds(5000));
    }
    result.exitCode = code.value_or(-1);
    result.stdoutText = readFile(dir.path() / "stdout.txt");
    result.stderrText = readFile(dir.path() / "stderr.txt");
    return result;
}

}  // namespace cpa::test
