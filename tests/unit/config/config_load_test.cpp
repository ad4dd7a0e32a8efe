#include "config/file_config_store.hpp"
#include "config_test_support.hpp"

#include <cpa/sdk/errors.hpp>

#include <gtest/gtest.h>

namespace cpa::core {
namespace {

using test::CapturingLogger;
using test::TempDir;
using test::writeText;

std::string loadError(const std::string& path, CapturingLogger& log) {
    try {
        FileConfigStore::open(path, log);
    } catch (const ConfigLoadError& e) {
        return e.what();
    }
    return "<no error>";
}

std::string loadErrorFor(const std::string& text) {
    TempDir dir;
    CapturingLogger log;
    writeText(dir.file("config.yaml"), text);
    return loadError(dir.file("config.yaml"), log);
}

TEST(ConfigLoad, SnapshotIsTheDocumentAsWritten) {
    TempDir dir;
    CapturingLogger log;
    writeText(dir.file("config.yaml"), "port: 8317\nhost: \"\"\nauth-dir: ~/.cli-proxy-api\nunknown: {a: 1}\n");
    auto store = FileConfigStore::open(dir.file("config.yaml"), log);
    auto snap = store->snapshot();
    ASSERT_TRUE(snap);
    EXPECT_EQ(snap->generation(), 1u);
    EXPECT_EQ(snap->root().asObject().size(), 4u);
    EXPECT_EQ(snap->getInt("port", 0), 8317);
    EXPECT_EQ(snap->getString("auth-dir", ""), "~/.cli-proxy-api");
    EXPECT_EQ(snap->find("unknown.a")->asInt(), 1);
    EXPECT_EQ(snap->find("error-logs-max-files"), nullptr) << "no defaults injected";
    EXPECT_EQ(snap->text(), "port: 8317\nhost: \"\"\nauth-dir: ~/.cli-proxy-api\nunknown: {a: 1}\n");
    EXPECT_EQ(store->path(), dir.file("config.yaml"));
}

TEST(ConfigLoad, EmptyOrCommentOnlyFileIsAnEmptyMapping) {
    for (const char* text : {"", "# only a comment\n", "---\n"}) {
        TempDir dir;
        CapturingLogger log;
        writeText(dir.file("config.yaml"), text);
        auto store = FileConfigStore::open(dir.file("config.yaml"), log);
        EXPECT_TRUE(store->snapshot()->root().isObject()) << text;
        EXPECT_EQ(store->snapshot()->root().size(), 0u) << text;
    }
}

TEST(ConfigLoad, MissingFileNamesPathAndReason) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("absent.yaml");
    EXPECT_EQ(loadError(path, log), "failed to read config file: " + path + ": No such file or directory");
}

TEST(ConfigLoad, SyntaxErrorCarriesLineAndColumn) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "port: 8317\nhost: x\napi-keys: [a,\n  b: c: d\n");
    const std::string err = loadError(path, log);
    EXPECT_EQ(err.rfind("failed to parse config file " + path + ": line 4, column ", 0), 0u) << err;

    writeText(path, "port: 1\nhost: 'a' b\n");
    EXPECT_EQ(loadError(path, log), "failed to parse config file " + path + ": line 2, column 11: end of map not found");

    writeText(path, "a: 1\n  b: 2\n");
    const std::string err3 = loadError(path, log);
    EXPECT_NE(err3.find("line 2, column "), std::string::npos) << err3;
}

TEST(ConfigLoad, TopLevelMustBeAMapping) {
    EXPECT_NE(loadErrorFor("- a\n- b\n").find("line 1, column 1: the top level of the config must be a mapping"),
              std::string::npos);
    EXPECT_NE(loadErrorFor("just text\n").find("must be a mapping"), std::string::npos);
}

TEST(ConfigLoad, CoreTypeErrorsNameKeyAndLine) {
    EXPECT_NE(loadErrorFor("host: x\nport: abc\n").find("line 2: port: expected an integer between 0 and 65535"),
              std::string::npos);
    EXPECT_NE(loadErrorFor("port: 70000\n").find("port"), std::string::npos);
    EXPECT_NE(loadErrorFor("debug: maybe\n").find("line 1: debug: expected true or false"), std::string::npos);
    EXPECT_NE(loadErrorFor("tls:\n  enable: 1\n").find("line 2: tls.enable"), std::string::npos);
    EXPECT_NE(loadErrorFor("remote-management: yes\n").find("remote-management: expected a mapping"),
              std::string::npos);
    EXPECT_NE(loadErrorFor("remote-management:\n  secret-key: [a]\n").find("remote-management.secret-key"),
              std::string::npos);
    EXPECT_NE(loadErrorFor("modules: plain\n").find("modules: expected a list"), std::string::npos);
    EXPECT_NE(loadErrorFor("modules:\n  - ok\n  - {a: 1}\n").find("line 3: modules[1]"), std::string::npos);
    EXPECT_NE(loadErrorFor("trusted-proxies:\n  - 10.0.0.0/8\n  - ::1\n  - 300.1.1.1\n")
                  .find("line 4: trusted-proxies[2]: not an IP address or CIDR range"),
              std::string::npos);
    EXPECT_NE(loadErrorFor("trusted-proxies: [10.0.0.0/33]\n").find("trusted-proxies[0]"), std::string::npos);
    EXPECT_NE(loadErrorFor("http-server:\n  max-threads: 0\n").find("http-server.max-threads"), std::string::npos);
    EXPECT_NE(loadErrorFor("http-server:\n  shutdown-drain-seconds: -1\n").find("shutdown-drain-seconds"),
              std::string::npos);
}

TEST(ConfigLoad, Yaml11BooleanWordsReadAsBooleansAndSurviveOtherWrites) {
    TempDir dir;
    CapturingLogger log;
    const std::string text = "debug: yes\nrequest-log: Off\nquota-exceeded:\n  switch-project: on\nname: yes\nport: 1\n";
    writeText(dir.file("config.yaml"), text);
    auto store = FileConfigStore::open(dir.file("config.yaml"), log);
    EXPECT_TRUE(store->snapshot()->getBool("debug", false)) << "the core's own keys at once";
    // Modules' keys once the modules have declared them.
    using T = sdk::ConfigType;
    store->declare({"logs", {{"request-log", T::Bool}}, {}});
    store->declare({"quota", {{"quota-exceeded", T::Mapping}, {"quota-exceeded.switch-project", T::Bool}}, {}});
    store->applyDeclarations();
    auto snap = store->snapshot();
    EXPECT_TRUE(snap->find("debug")->isBool());
    EXPECT_TRUE(snap->getBool("debug", false));
    EXPECT_FALSE(snap->getBool("request-log", true));
    EXPECT_TRUE(snap->getBool("quota-exceeded.switch-project", false));
    EXPECT_EQ(snap->getString("name", ""), "yes") << "only declared boolean keys are coerced";
    store->update([](sdk::Value& root) { root.set("port", sdk::Value(2)); });
    EXPECT_EQ(test::readText(dir.file("config.yaml")),
              "debug: yes\nrequest-log: Off\nquota-exceeded:\n  switch-project: on\nname: yes\nport: 2\n");
    store->update([](sdk::Value& root) { root.set("debug", sdk::Value(false)); });
    EXPECT_EQ(test::readText(dir.file("config.yaml")).substr(0, 13), "debug: false\n");
    EXPECT_NE(loadErrorFor("debug: yess\n").find("debug: expected true or false"), std::string::npos);
}

TEST(ConfigLoad, ValidDocumentWithAllCoreKeysLoads) {
    EXPECT_EQ(loadErrorFor("host: 127.0.0.1\nport: 0\ntls:\n  enable: false\ndebug: true\nlogging-to-file: false\n"
                           "logs-max-total-size-mb: -1\nerror-logs-max-files: 10\nrequest-retry: 3\n"
                           "max-retry-interval: 30\nmax-retry-credentials: 0\nremote-management:\n"
                           "  allow-remote: false\n  secret-key: \"\"\nmodules: [a, b]\nmodules-dir: /x\n"
                           "logs-dir: logs\ntrusted-proxies: [127.0.0.1, \"::1/128\", 10.0.0.0/8]\n"
                           "http-server:\n  max-threads: 8\n  max-queued: 64\n  keep-alive-timeout-seconds: 5\n"
                           "  max-request-body-mb: 10\n  shutdown-drain-seconds: 0\napi-keys: [k1, 123]\n"
                           "tls-extra:\nrequest-log:\n"),
              "<no error>");
}

TEST(ConfigLoad, RegisteredValidatorsRunOnWritesAndReloads) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "port: 1\n");
    auto store = FileConfigStore::open(path, log);
    store->addValidator("no-13", [](const sdk::Value& root) {
        if (const auto* p = root.find("port"); p && p->isInt() && p->asInt() == 13) {
            throw std::invalid_argument("port 13 is unlucky");
        }
    });
    EXPECT_THROW(store->replaceText("port: 13\n"), std::invalid_argument);
    try {
        store->update([](sdk::Value& root) { root.set("port", sdk::Value(13)); });
        FAIL();
    } catch (const sdk::HttpError& e) {
        EXPECT_EQ(e.status(), 500);
        EXPECT_STREQ(e.what(), "failed to save config: port 13 is unlucky");
    }
    writeText(path, "port: 13\n");
    EXPECT_FALSE(store->reloadFromDisk());
    EXPECT_TRUE(log.contains(sdk::LogLevel::Error, "port 13 is unlucky"));
    EXPECT_EQ(store->snapshot()->getInt("port", 0), 1);
}

}  // namespace
}  // namespace cpa::core
