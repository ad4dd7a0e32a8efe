// Module-declared config keys through the real server with the stock modules:
// a module's key of the wrong type stops start-up naming its line; unknown keys
// (top level, or in a module's section) are logged with file and line; the
// bundled config.example.yaml has none.
#include "integration_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace cpa::test {
namespace {

constexpr const char* kStock = CPA_TEST_STOCK_MODULES_DIR;

std::string readFile(const char* path) {
    std::ifstream in(path);
    std::stringstream out;
    out << in.rdbuf();
    return out.str();
}

void replaceLine(std::string& text, const std::string& line, const std::string& with) {
    const auto at = text.find("\n" + line + "\n");
    ASSERT_NE(at, std::string::npos) << line;
    text.replace(at + 1, line.size(), with);
}

TEST(ConfigDeclarations, AModulesKeyOfTheWrongTypeStopsStartUpWithItsLine) {
    const RunResult r = runServerExpectFailure(
        {"--config", "@CONFIG@", std::string("--modules-dir=") + kStock},
        loopbackConfig("modules: [quota]\nquota-exceeded:\n  switch-project: maybe\n"));
    EXPECT_EQ(r.exitCode, 1) << r.stderrText;
    EXPECT_NE(r.stderrText.find("config.yaml: line 5: quota-exceeded.switch-project: expected true or false, got a "
                                "string"),
              std::string::npos)
        << r.stderrText;
    EXPECT_EQ(r.stderrText.find("listening"), std::string::npos) << r.stderrText;
}

TEST(ConfigDeclarations, UnknownKeysAreLoggedWithFileAndLine) {
    ServerProcessOptions o;
    o.configText = loopbackConfig("modules: [quota]\nroutng: {}\nquota-exceeded:\n  switch-projet: true\n");
    o.modulesDir = kStock;
    ServerProcess server(o);
    const std::string file = server.configPath().string();
    const std::string log = server.stdoutText() + server.stderrText();
    EXPECT_NE(log.find(file + ": line 4: unknown key 'routng' (declared by neither the core nor a loaded module)"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find(file + ": line 6: unknown key 'quota-exceeded.switch-projet' (section 'quota-exceeded' of "
                              "quota)"),
              std::string::npos)
        << log;
}

// Issue 25's keys: `log-format` is the core's, the `metrics` section the metrics module's.
TEST(ConfigDeclarations, TheObservabilityKeysAreDeclared) {
    ServerProcessOptions o;
    o.configText = loopbackConfig("modules: [metrics]\nlog-format: text\nmetrics:\n  enabled: true\n"
                                  "  allow-remote: false\n  enabld: true\n");
    o.modulesDir = kStock;
    ServerProcess server(o);
    const std::string file = server.configPath().string();
    const std::string log = server.stdoutText() + server.stderrText();
    EXPECT_NE(log.find(file + ": line 8: unknown key 'metrics.enabld' (section 'metrics' of metrics)"),
              std::string::npos)
        << log;
    EXPECT_EQ(log.find("unknown key 'log-format'"), std::string::npos) << log;
    EXPECT_EQ(log.find("unknown key 'metrics'"), std::string::npos) << log;
    EXPECT_EQ(log.find("unknown key 'metrics.enabled'"), std::string::npos) << log;
    EXPECT_EQ(log.find("unknown key 'metrics.allow-remote'"), std::string::npos) << log;
}

TEST(ConfigDeclarations, TheBundledExampleHasNoUnknownKeysWithEveryStockModule) {
    std::string text = readFile(CPA_TEST_CONFIG_EXAMPLE);
    ASSERT_FALSE(text.empty());
    replaceLine(text, "port: 8317          # 0 = let the OS pick a free port", "port: 0");
    ServerProcessOptions o;
    o.configText = text;
    o.modulesDir = kStock;
    ServerProcess server(o);
    // The application log (stdout) may trail the "listening on" line on
    // stderr under load: wait for its start-up line before reading it.
    std::string log;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    do {
        log = server.stdoutText() + server.stderrText();
        if (log.find("loaded modules: ") != std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() < deadline);
    EXPECT_NE(log.find("loaded modules: "), std::string::npos) << log;
    EXPECT_EQ(log.find("unknown key"), std::string::npos) << log;
}

}  // namespace
}  // namespace cpa::test
