// `modules-dir` / `--modules-dir` take a list: a third-party module in a
// second directory loads beside the stock modules; one module name in two
// directories stops start-up naming both files.
#include "integration_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace cpa::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStockModulesDir = CPA_TEST_STOCK_MODULES_DIR;
constexpr const char* kPassword = "modules-dirs-test-password";

// The quota module (stock directory) and the testkit module (second directory).
void expectBothModulesServe(const ServerProcess& server) {
    EXPECT_EQ(httpRequest(server.port(), "GET", "/test/slow?ms=0").status, 200);
    const HttpResponse quota = httpRequest(server.port(), "GET", "/v0/management/quota-exceeded/switch-project",
                                           {{"Authorization", std::string("Bearer ") + kPassword}});
    EXPECT_EQ(quota.status, 200) << quota.body;
    EXPECT_EQ(quota.body, R"({"switch-project":false})");
}

TEST(ModulesDirs, CommandLineListLoadsAPluginBesideTheStockModules) {
    ServerProcessOptions o;
    o.configText = loopbackConfig("modules: [quota, testkit]\n");
    o.modulesDir = std::string(kStockModulesDir) + ":" + kModulesDir;
    o.env["MANAGEMENT_PASSWORD"] = kPassword;
    ServerProcess server(o);
    expectBothModulesServe(server);
}

TEST(ModulesDirs, ConfigListLoadsAPluginBesideTheStockModules) {
    ServerProcessOptions o;
    o.configText = loopbackConfig(std::string("modules: [quota, testkit]\nmodules-dir:\n  - ") + kStockModulesDir +
                                  "\n  - " + kModulesDir + "\n");
    o.env["MANAGEMENT_PASSWORD"] = kPassword;
    ServerProcess server(o);
    expectBothModulesServe(server);
}

TEST(ModulesDirs, SameModuleInTwoDirectoriesIsRefusedNamingBothFiles) {
    TempDir extra;
    const fs::path original = fs::path(kModulesDir) / "cpa_testkit.so";
    const fs::path copy = extra.path() / "cpa_testkit_copy.so";
    fs::copy_file(original, copy);
    const RunResult r = runServerExpectFailure(
        {"--config", "@CONFIG@", std::string("--modules-dir=") + kModulesDir + ":" + extra.path().string()},
        loopbackConfig());
    EXPECT_EQ(r.exitCode, 1) << r.stderrText;
    EXPECT_NE(r.stderrText.find("'" + copy.string() + "'"), std::string::npos) << r.stderrText;
    EXPECT_NE(r.stderrText.find("module name 'testkit' is already used by plugin '" + original.string() + "'"),
              std::string::npos)
        << r.stderrText;
    EXPECT_EQ(r.stderrText.find("listening"), std::string::npos) << r.stderrText;
}

}  // namespace
}  // namespace cpa::test
