// Start-up that cannot succeed ends with a non-zero exit and one clear line on
// stderr; --version and --help print and exit 0.
#include "integration_support.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <gtest/gtest.h>

#include <unistd.h>

namespace cpa::test {
namespace {

std::string modulesArg(const char* dir) { return std::string("--modules-dir=") + dir; }

TEST(StartupFailure, MissingConfigFile) {
    const RunResult r = runServerExpectFailure({"--config", "@DIR@/missing.yaml"});
    EXPECT_EQ(r.exitCode, 1) << r.stderrText;
    EXPECT_NE(r.stderrText.find("cpa-server: "), std::string::npos) << r.stderrText;
    EXPECT_NE(r.stderrText.find("missing.yaml"), std::string::npos) << r.stderrText;
}

TEST(StartupFailure, InvalidYamlNamesTheLine) {
    const RunResult r = runServerExpectFailure({"--config", "@CONFIG@", modulesArg(kModulesDir)},
                                               "host: \"127.0.0.1\"\nport: 0\nmodules: [a, b\ndebug: true\n");
    EXPECT_EQ(r.exitCode, 1) << r.stderrText;
    EXPECT_NE(r.stderrText.find("cpa-server: "), std::string::npos) << r.stderrText;
    EXPECT_NE(r.stderrText.find("line"), std::string::npos) << r.stderrText;
    EXPECT_EQ(r.stderrText.find("listening"), std::string::npos) << r.stderrText;
}

TEST(StartupFailure, WrongTypeForACoreKeyNamesTheLine) {
    const RunResult r = runServerExpectFailure({"--config", "@CONFIG@", modulesArg(kModulesDir)},
                                               "host: \"127.0.0.1\"\nport: abc\n");
    EXPECT_EQ(r.exitCode, 1) << r.stderrText;
    EXPECT_NE(r.stderrText.find("port"), std::string::npos) << r.stderrText;
    EXPECT_NE(r.stderrText.find("line"), std::string::npos) << r.stderrText;
}

TEST(StartupFailure, ConfigPathIsADirectory) {
    // A read error that happens even for root (tests and CI run as root).
    const RunResult r = runServerExpectFailure({"--config", "@DIR@", modulesArg(kModulesDir)});
    EXPECT_EQ(r.exitCode, 1) << r.stderrText;
    EXPECT_NE(r.stderrText.find("cpa-server: "), std::string::npos) << r.stderrText;
    EXPECT_EQ(r.stderrText.find("listening"), std::string::npos) << r.stderrText;
}

TEST(StartupFailure, PortInUse) {
    Poco::Net::ServerSocket taken(Poco::Net::SocketAddress("127.0.0.1", 0));
    const std::uint16_t port = taken.address().port();
    const RunResult r = runServerExpectFailure(
        {"--config", "@CONFIG@", modulesArg(kModulesDir)},
        "host: \"127.0.0.1\"\nport: " + std::to_string(port) + "\n");
    EXPECT_EQ(r.exitCode, 1) << r.stderrText;
    EXPECT_NE(r.stderrText.find("cpa-server: cannot listen on 127.0.0.1:" + std::to_string(port) +
                                ": address already in use"),
              std::string::npos)
        << r.stderrText;
    // Modules were started, so they are stopped and unloaded before exiting.
    // (The error itself goes to stderr, the application log to stdout.)
    EXPECT_NE(r.stdoutText.find("unloading modules"), std::string::npos) << r.stdoutText;
}

TEST(StartupFailure, ModuleWhoseConfigureThrows) {
    const RunResult r =
        runServerExpectFailure({"--config", "@CONFIG@", modulesArg(kBadModulesDir)}, loopbackConfig());
    EXPECT_EQ(r.exitCode, 1) << r.stderrText;
    EXPECT_NE(r.stderrText.find("testkit-bad"), std::string::npos) << r.stderrText;
    EXPECT_NE(r.stderrText.find("configure failed"), std::string::npos) << r.stderrText;
}

TEST(StartupFailure, UnknownModuleInTheModulesList) {
    const RunResult r = runServerExpectFailure({"--config", "@CONFIG@", modulesArg(kModulesDir)},
                                               loopbackConfig("modules: [testkit, nope]\n"));
    EXPECT_EQ(r.exitCode, 1) << r.stderrText;
    EXPECT_NE(r.stderrText.find("'nope'"), std::string::npos) << r.stderrText;
}

TEST(StartupFailure, MissingModulesDirectory) {
    const RunResult r = runServerExpectFailure({"--config", "@CONFIG@", "--modules-dir", "@DIR@/no-modules"},
                                               loopbackConfig());
    EXPECT_EQ(r.exitCode, 1) << r.stderrText;
    EXPECT_NE(r.stderrText.find("no-modules"), std::string::npos) << r.stderrText;
}

TEST(StartupFailure, UnknownFlagExitsTwoWithAHint) {
    const RunResult r = runServerExpectFailure({"--bogus"});
    EXPECT_EQ(r.exitCode, 2) << r.stderrText;
    EXPECT_NE(r.stderrText.find("--bogus"), std::string::npos) << r.stderrText;
    EXPECT_NE(r.stderrText.find("--help"), std::string::npos) << r.stderrText;
}

TEST(StartupFailure, FlagWithoutValueExitsTwo) {
    const RunResult r = runServerExpectFailure({"--config"});
    EXPECT_EQ(r.exitCode, 2) << r.stderrText;
    EXPECT_NE(r.stderrText.find("--config"), std::string::npos) << r.stderrText;
}

TEST(StartupFailure, DefaultConfigIsConfigYamlInTheWorkingDirectory) {
    // No --config: ./config.yaml is used, which proves itself by its error.
    const RunResult r = runServerExpectFailure({modulesArg(kModulesDir)}, "port: [oops\n");
    EXPECT_EQ(r.exitCode, 1) << r.stderrText;
    EXPECT_NE(r.stderrText.find("config.yaml"), std::string::npos) << r.stderrText;
    EXPECT_NE(r.stderrText.find("line"), std::string::npos) << r.stderrText;
}

TEST(Cli, VersionPrintsBuildAndSdkAbi) {
    const RunResult r = runServerExpectFailure({"--version"});
    EXPECT_EQ(r.exitCode, 0) << r.stderrText;
    EXPECT_EQ(r.stdoutText.rfind("cpa-server ", 0), 0u) << r.stdoutText;
    EXPECT_NE(r.stdoutText.find("(commit "), std::string::npos) << r.stdoutText;
    EXPECT_NE(r.stdoutText.find(", built "), std::string::npos) << r.stdoutText;
    EXPECT_NE(r.stdoutText.find("ABI"), std::string::npos) << r.stdoutText;
}

TEST(Cli, HelpDescribesEveryFlagAndTheEnvironment) {
    for (const char* flag : {"--help", "-h"}) {
        const RunResult r = runServerExpectFailure({flag});
        EXPECT_EQ(r.exitCode, 0) << r.stderrText;
        for (const char* text : {"--config", "--modules-dir", "--version", "--help", "config.yaml",
                                 "config.example.yaml", "MANAGEMENT_PASSWORD"}) {
            EXPECT_NE(r.stdoutText.find(text), std::string::npos) << flag << ": " << text << "\n" << r.stdoutText;
        }
    }
}

TEST(Cli, ConfigEqualsFormAndModulesDirFlagStartTheServer) {
    // --config=PATH and --modules-dir DIR are both honoured: the testkit route answers.
    ServerProcessOptions o = testkitServer();
    ServerProcess server(o);
    EXPECT_EQ(httpRequest(server.port(), "GET", "/test/slow?ms=0").status, 200);
    const RunResult r = runServerExpectFailure({"--config=@DIR@/none.yaml"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.stderrText.find("none.yaml"), std::string::npos) << r.stderrText;
}

}  // namespace
}  // namespace cpa::test
