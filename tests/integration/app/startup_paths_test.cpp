#include "app/server_options_reader.hpp"
#include "app/startup_paths.hpp"

#include <gtest/gtest.h>

namespace cpa::core {
namespace {

sdk::ConfigSnapshot snap(sdk::Value root) { return sdk::ConfigSnapshot(std::move(root), "", 1); }

PathInputs inputs() {
    PathInputs in;
    in.configFile = "etc/config.yaml";
    in.workingDir = "/work/dir";
    in.binaryDir = "/opt/cpa/bin";
    in.home = "/home/u";
    return in;
}

TEST(StartupPaths, Defaults) {
    const sdk::Paths p = resolvePaths(snap(sdk::Value::object()), inputs());
    EXPECT_EQ(p.configFile, "/work/dir/etc/config.yaml");
    EXPECT_EQ(p.configDir, "/work/dir/etc");
    EXPECT_EQ(p.authDir, "/home/u/.cli-proxy-api");
    EXPECT_EQ(p.logDir, "/work/dir/etc/logs");
    EXPECT_EQ(p.dataDir, "/work/dir/etc/data");
    EXPECT_EQ(p.modulesDir, "/opt/cpa/lib/cpa/modules");
}

TEST(StartupPaths, ConfiguredValues) {
    const auto root = sdk::Value::object({{"auth-dir", "auths/"},
                                          {"logs-dir", "/var/log/cpa"},
                                          {"data-dir", "state"},
                                          {"modules-dir", "~/mods"}});
    const sdk::Paths p = resolvePaths(snap(root), inputs());
    EXPECT_EQ(p.authDir, "/work/dir/auths");  // relative to the working directory
    EXPECT_EQ(p.logDir, "/var/log/cpa");
    EXPECT_EQ(p.dataDir, "/work/dir/etc/state");  // relative to the config's directory
    EXPECT_EQ(p.modulesDir, "/home/u/mods");
}

TEST(StartupPaths, CommandLineModulesDirWins) {
    PathInputs in = inputs();
    in.cliModulesDir = "m";
    const sdk::Paths p = resolvePaths(snap(sdk::Value::object({{"modules-dir", "/x"}})), in);
    EXPECT_EQ(p.modulesDir, "/work/dir/m");
}

TEST(StartupPaths, ModulesDirsTakeAList) {
    // Config: a YAML list (relative → the config's directory); repeats dropped.
    auto root = sdk::Value::object({{"modules-dir", sdk::Value(sdk::Value::Array{"/usr/lib/cpa/modules", "extra", "extra/"})}});
    EXPECT_EQ(modulesDirs(snap(root), inputs()),
              (std::vector<std::string>{"/usr/lib/cpa/modules", "/work/dir/etc/extra"}));
    EXPECT_EQ(resolvePaths(snap(root), inputs()).modulesDir, "/usr/lib/cpa/modules");
    // Config: "a:b".
    root = sdk::Value::object({{"modules-dir", "/a:~/b"}});
    EXPECT_EQ(modulesDirs(snap(root), inputs()), (std::vector<std::string>{"/a", "/home/u/b"}));
    // Command line: "a:b" (relative → the working directory), replaces the config's list.
    PathInputs in = inputs();
    in.cliModulesDir = "/stock:m";
    EXPECT_EQ(modulesDirs(snap(root), in), (std::vector<std::string>{"/stock", "/work/dir/m"}));
    // Nothing given: the default beside the binary.
    EXPECT_EQ(modulesDirs(snap(sdk::Value::object()), inputs()), (std::vector<std::string>{"/opt/cpa/lib/cpa/modules"}));
}

TEST(StartupPaths, HomeExpansion) {
    EXPECT_EQ(expandHome("~", "/h"), "/h");
    EXPECT_EQ(expandHome("~/a/b", "/h"), "/h/a/b");
    EXPECT_EQ(expandHome("~//a\\b", "/h"), "/h/a/b");
    EXPECT_EQ(expandHome("~user/a", "/h"), "~user/a");
    EXPECT_EQ(expandHome("a/~", "/h"), "a/~");
    EXPECT_EQ(expandHome("~/a", ""), "~/a");
}

TEST(ServerOptionsReader, DefaultsAndValues) {
    ServerOptions d = readServerOptions(snap(sdk::Value::object()));
    EXPECT_EQ(d.host, "");
    EXPECT_EQ(d.port, 8317);
    EXPECT_EQ(d.shutdownDrainSeconds, 30);
    EXPECT_EQ(d.headerTimeoutSeconds, 10);
    EXPECT_EQ(d.maxConnectionsPerIp, 1024);

    auto http = sdk::Value::object({{"max-threads", 8},
                                    {"max-queued", 9},
                                    {"keep-alive-timeout-seconds", 5},
                                    {"max-request-body-mb", 2},
                                    {"header-timeout-seconds", 3},
                                    {"max-connections-per-ip", 0},
                                    {"shutdown-drain-seconds", 0}});
    const auto root = sdk::Value::object({{"host", "127.0.0.1"},
                                          {"port", 0},
                                          {"http-server", http},
                                          {"trusted-proxies", sdk::Value(sdk::Value::Array{"10.0.0.0/8", "::1"})}});
    ServerOptions o = readServerOptions(snap(root));
    EXPECT_EQ(o.host, "127.0.0.1");
    EXPECT_EQ(o.port, 0);
    EXPECT_EQ(o.maxThreads, 8);
    EXPECT_EQ(o.maxQueued, 9);
    EXPECT_EQ(o.keepAliveTimeoutSeconds, 5);
    EXPECT_EQ(o.maxBodyBytes, 2u * 1024 * 1024);
    EXPECT_EQ(o.shutdownDrainSeconds, 0);
    EXPECT_EQ(o.headerTimeoutSeconds, 3);
    EXPECT_EQ(o.maxConnectionsPerIp, 0);
    EXPECT_EQ(o.trustedProxies, (std::vector<std::string>{"10.0.0.0/8", "::1"}));
}

TEST(ServerOptionsReader, OutOfRangeFallsBack) {
    const auto root = sdk::Value::object({{"port", 70000}, {"http-server", sdk::Value::object({{"max-threads", 0}})}});
    const ServerOptions o = readServerOptions(snap(root));
    EXPECT_EQ(o.port, 8317);
    EXPECT_EQ(o.maxThreads, ServerOptions{}.maxThreads);
}

TEST(ServerOptionsReader, ListenAddressText) {
    EXPECT_EQ(listenAddressText("", 80), "0.0.0.0:80");
    EXPECT_EQ(listenAddressText("127.0.0.1", 1), "127.0.0.1:1");
    EXPECT_EQ(listenAddressText("[::1]", 2), "[::1]:2");
    EXPECT_EQ(listenAddressText("::1", 3), "[::1]:3");
}

}  // namespace
}  // namespace cpa::core
