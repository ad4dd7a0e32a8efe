// ModuleHost over real fixture directories: selection, lifecycle order,
// error collection, and a module's route answering through the SDK views.
#include "http/router.hpp"
#include "loader/module_host.hpp"
#include "runtime/build_info.hpp"
#include "runtime/event_bus.hpp"
#include "runtime/module_context.hpp"
#include "runtime/services_registry.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using cpa::core::ModuleHost;
using cpa::core::PluginError;
using namespace cpa::loader_test;

namespace {

fs::path fixtureDir(const std::string& dir) { return fs::path(CPA_LOADER_FIXTURES_DIR) / dir; }

class ModuleHostTest : public ::testing::Test {
protected:
    void SetUp() override {
        tmp_ = fs::temp_directory_path() /
               ("cpa-module-host-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(tmp_);
        fs::create_directories(tmp_);
        trace_ = tmp_ / "trace.txt";
        ::setenv("CPA_LOADER_TRACE", trace_.c_str(), 1);
        paths_.dataDir = tmp_.string();
    }
    void TearDown() override {
        ::unsetenv("CPA_LOADER_TRACE");
        fs::remove_all(tmp_);
    }

    ModuleHost::ContextFactory contexts() {
        return [this](const cpa::core::ModuleInfo& info) {
            return std::make_unique<cpa::core::ModuleContextImpl>(store_, services_, events_, paths_,
                                                                  cpa::core::buildInfo(), info.name);
        };
    }

    std::vector<std::string> traceLines() const {
        std::ifstream in(trace_);
        std::vector<std::string> lines;
        for (std::string line; std::getline(in, line);) lines.push_back(line);
        return lines;
    }

    static std::string loadError(ModuleHost& host, const fs::path& dir,
                                 const std::optional<std::vector<std::string>>& enabled = std::nullopt) {
        return loadError(host, std::vector<fs::path>{dir}, enabled);
    }
    static std::string loadError(ModuleHost& host, const std::vector<fs::path>& dirs,
                                 const std::optional<std::vector<std::string>>& enabled = std::nullopt) {
        try {
            host.load(dirs, enabled);
        } catch (const PluginError& e) {
            return e.what();
        }
        ADD_FAILURE() << "load of " << dirs.front() << "… succeeded";
        return {};
    }

    fs::path tmp_;
    fs::path trace_;
    NullConfigStore store_;
    cpa::core::ServicesRegistry services_;
    cpa::core::EventBus events_;
    cpa::sdk::Paths paths_;
};

}  // namespace

TEST_F(ModuleHostTest, GoodModuleServesItsRouteThroughTheSdkViews) {
    LogCapture log;
    ModuleHost host;
    host.load(fixtureDir("good"));

    // The plain library beside the plugin is skipped with a warning.
    EXPECT_TRUE(log.contains("cpa_loaderfix_plain.so': not a cpa plugin")) << "no skip warning";
    const auto infos = host.infos();
    ASSERT_EQ(infos.size(), 1u);
    EXPECT_EQ(infos[0].name, "fixture-good");
    EXPECT_EQ(infos[0].version, "1.2.3");
    EXPECT_EQ(infos[0].file, (fixtureDir("good") / "cpa_loaderfix_good.so").string());

    host.configureAll(contexts());
    EXPECT_TRUE(log.contains("[cpa.module.fixture-good] fixture-good configured"));

    auto router = std::make_unique<cpa::core::Router>();
    host.registerRoutes(*router);
    router->freeze();
    EXPECT_EQ(router->routeCount(), 1u);
    EXPECT_FALSE(router->match(cpa::sdk::Method::Get, "/fixture/other"));
    EXPECT_FALSE(router->match(cpa::sdk::Method::Post, "/fixture/hello"));
    const auto match = router->match(cpa::sdk::Method::Get, "/fixture/hello");
    ASSERT_TRUE(match);
    EXPECT_EQ(match.route->pattern, "/fixture/hello");
    EXPECT_EQ(match.route->access, cpa::sdk::Access::Public);

    host.startAll();
    MiniRequest req("/fixture/hello");
    MiniResponse res;
    match.route->handler(req, res);
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(res.body(), R"({"hello":"world"})");
    EXPECT_EQ(res.contentType(), "application/json");

    router.reset();  // handlers die before their library
    host.stopAll();
    host.destroyAll();
    EXPECT_EQ(host.size(), 0u);
    host.unloadAll();
}

TEST_F(ModuleHostTest, LifecycleRunsInTheDocumentedOrder) {
    {
        ModuleHost host;
        host.load(fixtureDir("lifecycle"));
        ASSERT_EQ(host.size(), 2u);
        host.configureAll(contexts());
        cpa::core::Router routes;
        host.registerRoutes(routes);
        host.startAll();
        EXPECT_EQ(events_.subscriberCount("fixture.topic"), 2u);
        host.stopAll();
        // Modules dropped their subscriptions in stop().
        EXPECT_EQ(events_.subscriberCount("fixture.topic"), 0u);
        services_.clear();
        host.destroyAll();
        host.unloadAll();
    }
    const std::vector<std::string> expected = {
        "fixture-alpha:create",
        "fixture-beta:create",
        "fixture-alpha:configure",
        "fixture-beta:configure",
        "fixture-alpha:routes",
        "fixture-beta:routes",
        "fixture-alpha:start",
        "fixture-alpha:sees fixture-beta",
        "fixture-alpha:event from fixture-alpha",
        "fixture-beta:event from fixture-alpha",
        "fixture-beta:start",
        "fixture-beta:sees fixture-alpha",
        "fixture-alpha:event from fixture-beta",
        "fixture-beta:event from fixture-beta",
        "fixture-beta:stop",
        "fixture-alpha:stop",
        "fixture-beta:destroy",
        "fixture-alpha:destroy",
    };
    EXPECT_EQ(traceLines(), expected);
}

TEST_F(ModuleHostTest, DestructorShutsDownWhatIsLeft) {
    {
        ModuleHost host;
        host.load(fixtureDir("lifecycle"));
        host.configureAll(contexts());
        host.startAll();
        services_.clear();
    }
    const auto lines = traceLines();
    ASSERT_GE(lines.size(), 4u);
    EXPECT_EQ(std::vector<std::string>(lines.end() - 4, lines.end()),
              (std::vector<std::string>{"fixture-beta:stop", "fixture-alpha:stop", "fixture-beta:destroy",
                                        "fixture-alpha:destroy"}));
}

TEST_F(ModuleHostTest, EnabledListSelectsModules) {
    ModuleHost host;
    host.load(fixtureDir("lifecycle"), std::vector<std::string>{"fixture-beta"});
    const auto infos = host.infos();
    ASSERT_EQ(infos.size(), 1u);
    EXPECT_EQ(infos[0].name, "fixture-beta");
    host.configureAll(contexts());
    host.startAll();
    host.stopAll();
    services_.clear();  // the service objects' deleters live in the plugin
    host.unloadAll();
    const auto lines = traceLines();
    EXPECT_EQ(lines.front(), "fixture-beta:create");
    for (const auto& line : lines) EXPECT_EQ(line.rfind("fixture-alpha:", 0), std::string::npos) << line;
    EXPECT_NE(std::find(lines.begin(), lines.end(), "fixture-beta:sees nothing"), lines.end());
}

TEST_F(ModuleHostTest, EmptyEnabledListLoadsNothing) {
    ModuleHost host;
    host.load(fixtureDir("lifecycle"), std::vector<std::string>{});
    EXPECT_EQ(host.size(), 0u);
    EXPECT_TRUE(traceLines().empty());
}

TEST_F(ModuleHostTest, ListedButMissingModuleIsAnError) {
    ModuleHost host;
    const auto dir = fixtureDir("lifecycle");
    const std::string msg = loadError(host, dir, std::vector<std::string>{"fixture-beta", "nope"});
    EXPECT_EQ(msg, "module 'nope' is listed in config.yaml 'modules' but no such module was found in " +
                       dir.string());
    EXPECT_EQ(host.size(), 0u);
    EXPECT_TRUE(traceLines().empty()) << "a module was created although load failed";
}

TEST_F(ModuleHostTest, ConfigureCollectsEveryFailure) {
    ModuleHost host;
    host.load(fixtureDir("configure_throws"));
    ASSERT_EQ(host.size(), 3u);
    try {
        host.configureAll(contexts());
        FAIL() << "configureAll succeeded";
    } catch (const PluginError& e) {
        const std::string msg = e.what();
        for (const std::string name : {"a", "b"}) {
            const auto file = fixtureDir("configure_throws") / ("cpa_loaderfix_throw_" + name + ".so");
            EXPECT_NE(msg.find("module 'fixture-throw-" + name + "' ('" + file.string() +
                               "'): fixture configure failure in fixture-throw-" + name),
                      std::string::npos)
                << msg;
        }
        EXPECT_EQ(msg.find("fixture-throw-ok"), std::string::npos) << msg;
    }
}

TEST_F(ModuleHostTest, RefusedPluginsFailTheLoadNamingTheFile) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"abi_major", "cpa_loaderfix_abi_major.so"},   {"abi_minor", "cpa_loaderfix_abi_minor.so"},
        {"build_key", "cpa_loaderfix_build_key.so"},   {"duplicate", "cpa_loaderfix_dup_b.so"},
        {"empty_name", "cpa_loaderfix_empty_name.so"}, {"small_struct", "cpa_loaderfix_small.so"},
        {"create_null", "cpa_loaderfix_create_null.so"},
    };
    for (const auto& [dir, file] : cases) {
        SCOPED_TRACE(dir);
        ModuleHost host;
        const std::string msg = loadError(host, fixtureDir(dir));
        EXPECT_NE(msg.find((fixtureDir(dir) / file).string()), std::string::npos) << msg;
        EXPECT_EQ(host.size(), 0u);
    }
}

TEST_F(ModuleHostTest, DirectoryWithOnlyAPlainLibraryLoadsNothing) {
    ModuleHost host;
    host.load(fixtureDir("notplugin"));
    EXPECT_EQ(host.size(), 0u);
}

TEST_F(ModuleHostTest, MissingOrInvalidModulesDirectoryIsAnError) {
    {
        ModuleHost host;
        const auto dir = tmp_ / "no-such-dir";
        EXPECT_EQ(loadError(host, dir), "modules directory '" + dir.string() + "' does not exist");
    }
    {
        ModuleHost host;
        const auto file = tmp_ / "plain-file";
        std::ofstream(file).flush();
        EXPECT_EQ(loadError(host, file), "modules directory '" + file.string() + "' is not a directory");
    }
    {
        // A `.so` that is not an ELF object (e.g. a truncated copy) stops start-up.
        const auto dir = tmp_ / "modules";
        fs::create_directories(dir);
        std::ofstream(dir / "broken.so") << "not an ELF file\n";
        ModuleHost host;
        const std::string msg = loadError(host, dir);
        EXPECT_NE(msg.find((dir / "broken.so").string()), std::string::npos) << msg;
    }
}

TEST_F(ModuleHostTest, SeveralModulesDirectoriesLoadSideBySide) {
    ModuleHost host;
    host.load(std::vector<fs::path>{fixtureDir("lifecycle"), fixtureDir("good")});
    std::vector<std::string> names;
    for (const auto& info : host.infos()) names.push_back(info.name);
    // Directory by directory, each in file name order.
    EXPECT_EQ(names, (std::vector<std::string>{"fixture-alpha", "fixture-beta", "fixture-good"}));
}

TEST_F(ModuleHostTest, ListedButMissingModuleNamesEveryDirectory) {
    ModuleHost host;
    const std::string msg = loadError(host, std::vector<fs::path>{fixtureDir("lifecycle"), fixtureDir("good")},
                                      std::vector<std::string>{"nope"});
    EXPECT_EQ(msg, "module 'nope' is listed in config.yaml 'modules' but no such module was found in " +
                       fixtureDir("lifecycle").string() + ", " + fixtureDir("good").string());
}

TEST_F(ModuleHostTest, SameModuleNameInTwoDirectoriesIsRefusedNamingBothFiles) {
    ModuleHost host;
    const fs::path first = fixtureDir("dirs/first") / "cpa_loaderfix_dirs_dup_a.so";
    const fs::path second = fixtureDir("dirs/second") / "cpa_loaderfix_dirs_dup_b.so";
    const std::string msg =
        loadError(host, std::vector<fs::path>{fixtureDir("dirs/first"), fixtureDir("dirs/second")});
    EXPECT_NE(msg.find("'" + second.string() + "'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("module name 'fixture-dirs-dup' is already used by plugin '" + first.string() + "'"),
              std::string::npos)
        << msg;
    EXPECT_EQ(host.size(), 0u);
}

TEST_F(ModuleHostTest, LoadTwiceIsALogicError) {
    ModuleHost host;
    host.load(fixtureDir("notplugin"));
    EXPECT_THROW(host.load(fixtureDir("notplugin")), std::logic_error);
}

// Two separately built plugins meet through one service id: asking for it as
// another type than it was provided as fails configure with both types named
// (never a bad cast); the same type across two libraries is found.
TEST_F(ModuleHostTest, AServiceAskedForAsAnotherTypeFailsConfigureNamingBothTypes) {
    ModuleHost host;
    host.load(fixtureDir("typed_mismatch"));
    ASSERT_EQ(host.size(), 2u);
    try {
        host.configureAll(contexts());
        FAIL() << "configureAll succeeded";
    } catch (const PluginError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("module 'fixture-typed-b'"), std::string::npos) << msg;
        EXPECT_NE(msg.find("service 'fixture.Typed/1' is provided as std::__cxx11::basic_string<char, "
                           "std::char_traits<char>, std::allocator<char> >, asked for as int"),
                  std::string::npos)
            << msg;
        EXPECT_EQ(msg.find("fixture-typed-a"), std::string::npos) << msg;
    }
    services_.clear();  // the provided string's deleter lives in fixture-typed-a's library
}

TEST_F(ModuleHostTest, AServiceOfTheSameTypeIsFoundAcrossLibraries) {
    ModuleHost host;
    host.load(fixtureDir("typed_match"));
    ASSERT_EQ(host.size(), 2u);
    host.configureAll(contexts());
    const auto found = services_.get(cpa::sdk::ServiceKey<std::string>{"fixture.Typed/1"});
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(*found, "provided");
    services_.clear();  // before the host unloads the provider's library
}
