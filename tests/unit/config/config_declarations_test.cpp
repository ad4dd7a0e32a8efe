// Module-declared config keys through the real file store: type errors with
// file and line at start-up (applyDeclarations), on writes and reloads; unknown
// keys warned about with their line once every module has declared its keys.
#include "config/file_config_store.hpp"
#include "config_test_support.hpp"

#include <cpa/sdk/errors.hpp>

#include <gtest/gtest.h>

namespace cpa::core {
namespace {

using sdk::ConfigType;
using test::CapturingLogger;
using test::TempDir;
using test::writeText;

sdk::ConfigDeclaration proxyKeys() {
    return {"proxy",
            {{"request-retry", ConfigType::Int},
             {"routing", ConfigType::Mapping},
             {"routing.strategy", ConfigType::String},
             {"routing.session-affinity", ConfigType::Bool}},
            {}};
}

TEST(ConfigDeclarations, ModuleKeyTypeErrorsNameFileAndLineAtStartUp) {
    TempDir dir;
    CapturingLogger log;
    writeText(dir.file("config.yaml"), "port: 1\nrouting:\n  strategy: [a]\n");
    auto store = FileConfigStore::open(dir.file("config.yaml"), log);  // the core's keys are fine
    store->declare(proxyKeys());
    try {
        store->applyDeclarations();
        FAIL() << "applyDeclarations accepted routing.strategy: [a]";
    } catch (const ConfigLoadError& e) {
        EXPECT_EQ(std::string(e.what()), "failed to parse config file " + dir.file("config.yaml") +
                                             ": line 3: routing.strategy: expected a string, got a list");
    }
}

TEST(ConfigDeclarations, DeclaredKeysGuardWritesAndReloads) {
    TempDir dir;
    CapturingLogger log;
    writeText(dir.file("config.yaml"), "request-retry: 3\n");
    auto store = FileConfigStore::open(dir.file("config.yaml"), log);
    store->declare(proxyKeys());
    store->applyDeclarations();
    // A write: refused like a core key, file untouched.
    try {
        store->update([](sdk::Value& root) { root.set("request-retry", sdk::Value("x")); });
        FAIL() << "update accepted request-retry: x";
    } catch (const sdk::HttpError& e) {
        EXPECT_EQ(e.status(), 500);
        EXPECT_EQ(std::string(e.what()), "failed to save config: request-retry: expected an integer, got a string");
    }
    EXPECT_EQ(test::readText(dir.file("config.yaml")), "request-retry: 3\n");
    // PUT /config.yaml's path: the text with its line.
    try {
        store->replaceText("port: 1\nrequest-retry: 1.5\n");
        FAIL() << "replaceText accepted request-retry: 1.5";
    } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()), "line 2: request-retry: expected an integer, got a number");
    }
    // A reload of an invalid edit keeps the previous snapshot.
    writeText(dir.file("config.yaml"), "request-retry: many\n");
    EXPECT_FALSE(store->reloadFromDisk());
    EXPECT_EQ(store->snapshot()->getInt("request-retry", 0), 3);
    EXPECT_TRUE(log.contains(sdk::LogLevel::Error, "line 1: request-retry: expected an integer"));
}

TEST(ConfigDeclarations, UnknownKeysAreWarnedWithFileAndLineOnceModulesDeclared) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "port: 1\nrequest-retry: 2\nroutng: {}\nrouting:\n  strategy: rr\n  stratgy: ff\n");
    auto store = FileConfigStore::open(path, log);
    EXPECT_FALSE(log.contains(sdk::LogLevel::Warning, "unknown key")) << "modules have not declared yet:\n"
                                                                        << log.all();
    store->declare(proxyKeys());
    store->applyDeclarations();
    EXPECT_TRUE(log.contains(sdk::LogLevel::Warning,
                             path + ": line 3: unknown key 'routng' (declared by neither the core nor a loaded module)"))
        << log.all();
    EXPECT_TRUE(log.contains(sdk::LogLevel::Warning, path + ": line 6: unknown key 'routing.stratgy' (section "
                                                            "'routing' of proxy)"))
        << log.all();
    EXPECT_FALSE(log.contains(sdk::LogLevel::Warning, "'request-retry'")) << log.all();
    EXPECT_FALSE(log.contains(sdk::LogLevel::Warning, "'port'")) << log.all();
    // And on a reload.
    writeText(path, "port: 1\nrequest-retry: 2\n\nextra-thing: 1\n");
    EXPECT_TRUE(store->reloadFromDisk());
    EXPECT_TRUE(log.contains(sdk::LogLevel::Warning, path + ": line 4: unknown key 'extra-thing'")) << log.all();
}

TEST(ConfigDeclarations, ValidateCallbackRunsAfterTheTypes) {
    TempDir dir;
    CapturingLogger log;
    writeText(dir.file("config.yaml"), "routing:\n  strategy: random\n");
    auto store = FileConfigStore::open(dir.file("config.yaml"), log);
    sdk::ConfigDeclaration d = proxyKeys();
    d.validate = [](const sdk::Value& root) {
        if (root.findPath("routing.strategy") && root.findPath("routing.strategy")->asString() == "random")
            throw std::invalid_argument("routing.strategy: unknown strategy random");
    };
    store->declare(std::move(d));
    try {
        store->applyDeclarations();
        FAIL() << "the validate callback did not run";
    } catch (const ConfigLoadError& e) {
        EXPECT_NE(std::string(e.what()).find("routing.strategy: unknown strategy random"), std::string::npos);
    }
}

}  // namespace
}  // namespace cpa::core
