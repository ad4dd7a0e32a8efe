// `cpa-server --check-config` / `-t` as an operator runs it: exit codes, the
// problems it prints, and that it writes nothing. Config discovery of the
// bare binary. The start-up notices of a real server.
#include "integration_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace cpa::test {
namespace {

namespace fs = std::filesystem;

/// Every file under `dir` with its size and modification time.
std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> tree(const fs::path& dir) {
    std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        out[e.path().string()] = {e.is_regular_file() ? e.file_size() : 0, e.last_write_time()};
    }
    return out;
}

std::string readFile(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

RunResult check(const fs::path& config, const char* flag = "--check-config") {
    return runServerExpectFailure({flag, "--config", config.string(), "--modules-dir", CPA_TEST_STOCK_MODULES_DIR});
}

TEST(CheckConfig, ValidConfigExitsZeroAndTouchesNothing) {
    TempDir dir;
    // A plaintext secret would be hashed and written back by a real start.
    const std::string text = "host: \"127.0.0.1\"\nport: 0\nremote-management:\n  secret-key: \"plain\"\n"
                             "usage-statistics-enabled: true\nlogging-to-file: true\n";
    const fs::path config = dir.write("config.yaml", text);
    const auto before = tree(dir.path());
    for (const char* flag : {"--check-config", "-t"}) {
        const RunResult r = check(config, flag);
        EXPECT_EQ(r.exitCode, 0) << r.stderrText;
        EXPECT_NE(r.stdoutText.find(config.string() + ": OK"), std::string::npos) << r.stdoutText;
        EXPECT_EQ(r.stderrText.find("warn"), std::string::npos) << r.stderrText;
    }
    EXPECT_EQ(tree(dir.path()), before);
    EXPECT_EQ(readFile(config), text);
}

TEST(CheckConfig, WarningsAreListedWithLinesAndSuggestions) {
    TempDir dir;
    const fs::path config = dir.write("config.yaml",
                                      "host: \"0.0.0.0\"\nport: 0\nremote-managment:\n  secret-key: \"x\"\n"
                                      "foo-bar: 1\nclaude-api-key:\n  - api-key: \"\"\n");
    const auto before = tree(dir.path());
    const RunResult r = check(config);
    EXPECT_EQ(r.exitCode, 0) << r.stderrText;
    const std::string& e = r.stderrText;
    EXPECT_NE(e.find(config.string() + ": line 3: unknown key 'remote-managment'"), std::string::npos) << e;
    EXPECT_NE(e.find("did you mean 'remote-management'?"), std::string::npos) << e;
    EXPECT_NE(e.find("line 5: unknown key 'foo-bar'"), std::string::npos) << e;
    EXPECT_NE(e.find("claude-api-key[0] dropped: api-key is empty"), std::string::npos) << e;
    EXPECT_NE(e.find("api-keys is empty"), std::string::npos) << e;
    EXPECT_NE(r.stdoutText.find("4 warning(s)"), std::string::npos) << r.stdoutText;
    EXPECT_EQ(tree(dir.path()), before);
}

TEST(CheckConfig, RefusedConfigExitsOne) {
    TempDir dir;
    RunResult r = check(dir.write("config.yaml", "port: 0\nrequest-retry: \"many\"\n"));
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.stderrText.find("line 2"), std::string::npos) << r.stderrText;
    EXPECT_NE(r.stdoutText.find("INVALID"), std::string::npos) << r.stdoutText;
    r = check(dir.write("bad.yaml", "port: [oops\n"));
    EXPECT_EQ(r.exitCode, 1);
    r = check(dir.path() / "missing.yaml");
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.stderrText.find("missing.yaml"), std::string::npos) << r.stderrText;
}

TEST(ConfigDiscovery, BareBinaryWithoutAConfigSaysWhereItLookedAndWritesNothing) {
    if (fs::exists("/etc/cpa/config.yaml")) GTEST_SKIP() << "an installed /etc/cpa/config.yaml would be used";
    TempDir dir;
    const std::string cmd = "cd '" + dir.path().string() + "' && '" + serverBinary() + "' >out.txt 2>err.txt";
    const int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 1);
    const std::string err = readFile(dir.path() / "err.txt");
    EXPECT_NE(err.find("no config file"), std::string::npos) << err;
    EXPECT_NE(err.find((dir.path() / "config.yaml").string()), std::string::npos) << err;
    EXPECT_NE(err.find("/etc/cpa/config.yaml"), std::string::npos) << err;
    std::size_t entries = 0;
    for (const auto& e : fs::directory_iterator(dir.path())) entries += e.path().filename() == "out.txt" ||
                                                                            e.path().filename() == "err.txt" ? 0 : 1;
    EXPECT_EQ(entries, 0u);
}

TEST(ConfigDiscovery, ConfigYamlInTheWorkingDirectoryIsUsed) {
    if (fs::exists("/etc/cpa/config.yaml")) GTEST_SKIP() << "an installed /etc/cpa/config.yaml would be used";
    const RunResult r = runServerExpectFailure({"-t", "--modules-dir", CPA_TEST_STOCK_MODULES_DIR},
                                               "host: \"127.0.0.1\"\nport: 0\n");
    EXPECT_EQ(r.exitCode, 0) << r.stderrText;
    EXPECT_NE(r.stdoutText.find("/config.yaml: OK"), std::string::npos) << r.stdoutText;
}

TEST(StartupNotices, ServerSaysManagementIsOffAndHowToEnableIt) {
    ServerProcessOptions o;
    o.configText = "host: \"127.0.0.1\"\nport: 0\nmodules: [config]\n";
    o.modulesDir = CPA_TEST_STOCK_MODULES_DIR;
    ServerProcess server(o);
    server.sigterm();
    ASSERT_EQ(server.waitExit(std::chrono::seconds(10)), 0);
    const std::string log = server.stdoutText();
    EXPECT_NE(log.find("management API is off (no remote-management.secret-key): set one in " +
                       server.configPath().string()),
              std::string::npos)
        << log;
    EXPECT_EQ(log.find("api-keys is empty"), std::string::npos) << log;
}

}  // namespace
}  // namespace cpa::test
