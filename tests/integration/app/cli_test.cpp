#include "app/cli.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace cpa::core {
namespace {

namespace fs = std::filesystem;

std::optional<CliOptions> parse(std::vector<std::string> args, CliError& e) { return parseCli(args, e); }

TEST(Cli, NoArgumentsRunsWithDefaults) {
    CliError e;
    const auto o = parse({}, e);
    ASSERT_TRUE(o);
    EXPECT_EQ(o->action, CliOptions::Action::Run);
    EXPECT_FALSE(o->configPath);
    EXPECT_FALSE(o->modulesDir);
}

TEST(Cli, ConfigAndModulesDirInBothForms) {
    CliError e;
    auto o = parse({"--config", "a.yaml", "--modules-dir=/m"}, e);
    ASSERT_TRUE(o) << e.message;
    EXPECT_EQ(*o->configPath, "a.yaml");
    EXPECT_EQ(*o->modulesDir, "/m");
    o = parse({"--config=b.yaml", "--modules-dir", "m2"}, e);
    ASSERT_TRUE(o) << e.message;
    EXPECT_EQ(*o->configPath, "b.yaml");
    EXPECT_EQ(*o->modulesDir, "m2");
}

TEST(Cli, MissingOrEmptyValueIsAnError) {
    CliError e;
    EXPECT_FALSE(parse({"--config"}, e));
    EXPECT_NE(e.message.find("--config"), std::string::npos);
    EXPECT_FALSE(parse({"--modules-dir="}, e));
    EXPECT_NE(e.message.find("--modules-dir"), std::string::npos);
}

TEST(Cli, UnknownOptionAndStrayArgumentAreErrors) {
    CliError e;
    EXPECT_FALSE(parse({"--verbose"}, e));
    EXPECT_NE(e.message.find("--verbose"), std::string::npos);
    EXPECT_FALSE(parse({"config.yaml"}, e));
    EXPECT_NE(e.message.find("config.yaml"), std::string::npos);
    EXPECT_FALSE(parse({"--configx=1"}, e));  // a prefix is not the flag
}

TEST(Cli, HelpAndVersion) {
    CliError e;
    EXPECT_EQ(parse({"-h"}, e)->action, CliOptions::Action::Help);
    EXPECT_EQ(parse({"--config", "x", "--help"}, e)->action, CliOptions::Action::Help);
    EXPECT_EQ(parse({"--help", "--bogus"}, e)->action, CliOptions::Action::Help);
    EXPECT_EQ(parse({"--version"}, e)->action, CliOptions::Action::Version);
    EXPECT_EQ(versionText().rfind("cpa-server ", 0), 0u);
    EXPECT_NE(usageText("cpa-server").find("MANAGEMENT_PASSWORD"), std::string::npos);
}

TEST(Cli, CheckConfigAndItsShortForm) {
    CliError e;
    auto o = parse({"--check-config", "--config", "c.yaml"}, e);
    ASSERT_TRUE(o) << e.message;
    EXPECT_EQ(o->action, CliOptions::Action::CheckConfig);
    EXPECT_EQ(*o->configPath, "c.yaml");
    EXPECT_EQ(parse({"-t"}, e)->action, CliOptions::Action::CheckConfig);
    EXPECT_NE(usageText("cpa-server").find("--check-config"), std::string::npos);
}

TEST(Cli, PanelFetchIsASubcommand) {
    CliError e;
    auto o = parse({"panel", "fetch", "--output", "/tmp/x.html"}, e);
    ASSERT_TRUE(o) << e.message;
    EXPECT_EQ(o->action, CliOptions::Action::PanelFetch);
    EXPECT_EQ(*o->outputPath, "/tmp/x.html");
    EXPECT_FALSE(parse({"panel"}, e));
    EXPECT_FALSE(parse({"panel", "pull"}, e));
    EXPECT_FALSE(parse({"--output", "x"}, e));  // only panel fetch takes --output
    EXPECT_NE(usageText("cpa-server").find("panel fetch"), std::string::npos);
}

class DefaultConfig : public ::testing::Test {
protected:
    void SetUp() override {
        root = fs::temp_directory_path() / ("cpa-cli-" + std::to_string(::getpid()));
        fs::create_directories(root / "cwd");
        fs::create_directories(root / "etc/cpa");
    }
    void TearDown() override { fs::remove_all(root); }
    static void touch(const fs::path& p) { std::ofstream(p) << "port: 0\n"; }
    fs::path system() const { return root / "etc/cpa/config.yaml"; }
    fs::path root;
};

TEST_F(DefaultConfig, SystemConfigComesFirst) {
    touch(system());
    touch(root / "cwd/config.yaml");
    EXPECT_EQ(defaultConfigPath(root / "cwd", system()), system());
}

TEST_F(DefaultConfig, WorkingDirectoryConfigWithoutASystemOne) {
    if (fs::exists("/etc/cpa/config.yaml")) GTEST_SKIP() << "an installed /etc/cpa/config.yaml is always a candidate";
    touch(root / "cwd/config.yaml");
    EXPECT_EQ(defaultConfigPath(root / "cwd", system()), root / "cwd/config.yaml");
}

TEST_F(DefaultConfig, TheExampleIsNeverACandidate) {
    const auto c = defaultConfigCandidates(root / "cwd", system());
    ASSERT_EQ(c.size(), 3u);
    EXPECT_EQ(c[0], system());
    EXPECT_EQ(c[1], fs::path("/etc/cpa/config.yaml"));
    EXPECT_EQ(c[2], root / "cwd/config.yaml");
    if (!fs::exists("/etc/cpa/config.yaml")) {
        EXPECT_FALSE(defaultConfigPath(root / "cwd", system()));
    }
}

}  // namespace
}  // namespace cpa::core

namespace cpa::core {
namespace {

TEST(Cli, StoreImportNeedsConfig) {
    CliError e;
    auto o = parseCli({"store", "import", "--config", "f.yaml"}, e);
    ASSERT_TRUE(o) << e.message;
    EXPECT_EQ(o->action, CliOptions::Action::StoreImport);
    EXPECT_EQ(*o->configPath, "f.yaml");
    EXPECT_FALSE(parseCli({"store", "import"}, e));
    EXPECT_NE(e.message.find("store import needs --config PATH"), std::string::npos) << e.message;
    EXPECT_FALSE(parseCli({"store", "export"}, e));
    EXPECT_NE(e.message.find("unknown command: store export"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace cpa::core
