// The real cpa-server and the web panel: fetched at start-up in the
// background when management is on, served at /management.html; not fetched
// when disabled; `cpa-server panel fetch` for offline installs.
#include "integration_support.hpp"
#include "panel_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace cpa::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string panelConfig(const FakePanelFeed& feed, const std::string& extra = "") {
    return "host: \"127.0.0.1\"\nport: 0\nmodules: [config]\nremote-management:\n  secret-key: \"s3cret\"\n"
           "  panel-github-repository: \"" + feed.releaseUrl() + "\"\n" + extra;
}

ServerProcessOptions panelServer(std::string config) {
    ServerProcessOptions o;
    o.configText = std::move(config);
    o.modulesDir = CPA_TEST_STOCK_MODULES_DIR;
    o.env["CPA_PANEL_AUTO_UPDATE"] = "1";
    return o;
}

bool waitForFile(const fs::path& p, std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        if (fs::exists(p)) return true;
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

TEST(PanelServer, StartUpFetchesThePanelInTheBackgroundAndServesIt) {
    FakePanelFeed feed;
    ServerProcess server(panelServer(panelConfig(feed)));
    const fs::path file = server.dir() / "static" / "management.html";
    ASSERT_TRUE(waitForFile(file, 10s)) << server.stderrText() << server.stdoutText();
    const HttpResponse r = httpRequest(server.port(), "GET", "/management.html");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "<html>panel v1</html>");
    server.sigterm();
    EXPECT_EQ(server.waitExit(10s), 0);
    EXPECT_NE(server.stdoutText().find("web panel updated"), std::string::npos) << server.stdoutText();
}

TEST(PanelServer, NotFetchedWhenDisabledOrWhenManagementIsOff) {
    FakePanelFeed feed;
    {
        ServerProcess disabled(panelServer(panelConfig(feed, "  disable-control-panel: true\n")));
        ServerProcess noAuto(panelServer(panelConfig(feed, "  disable-auto-update-panel: true\n")));
        ServerProcessOptions off = panelServer(
            "host: \"127.0.0.1\"\nport: 0\nmodules: [config]\nremote-management:\n"
            "  panel-github-repository: \"" + feed.releaseUrl() + "\"\n");
        ServerProcess managementOff(off);
        std::this_thread::sleep_for(1500ms);
        EXPECT_EQ(httpRequest(disabled.port(), "GET", "/management.html").status, 404);
        EXPECT_EQ(httpRequest(managementOff.port(), "GET", "/management.html").status, 404);
        EXPECT_NE(managementOff.stdoutText().find("management API is off"), std::string::npos)
            << managementOff.stdoutText();
    }
    EXPECT_EQ(feed.upstream().requestCount(), 0u);
}

TEST(PanelServer, FailedFetchDoesNotStopStartUp) {
    FakePanelFeed feed;
    feed.setFeedStatus(500);
    ServerProcess server(panelServer(panelConfig(feed)));
    EXPECT_EQ(httpRequest(server.port(), "GET", "/healthz").status, 200);
    ASSERT_GE(feed.upstream().waitForRequests(1, 10s), 1u);
    EXPECT_EQ(httpRequest(server.port(), "GET", "/management.html").status, 404);
}

TEST(PanelFetchCommand, WritesBesideTheConfigOrToOutput) {
    FakePanelFeed feed;
    TempDir dir;
    const fs::path config = dir.write("config.yaml", panelConfig(feed));
    RunResult r = runServerExpectFailure({"panel", "fetch", "--config", config.string()});
    ASSERT_EQ(r.exitCode, 0) << r.stderrText;
    std::ifstream in(dir.path() / "static" / "management.html");
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_EQ(ss.str(), "<html>panel v1</html>");
    const fs::path out = dir.path() / "copy";
    fs::create_directories(out);
    r = runServerExpectFailure({"panel", "fetch", "--config", config.string(), "--output", out.string()});
    ASSERT_EQ(r.exitCode, 0) << r.stderrText;
    EXPECT_TRUE(fs::exists(out / "management.html"));
    feed.setFeedStatus(404);
    fs::remove(out / "management.html");
    r = runServerExpectFailure({"panel", "fetch", "--config", config.string(), "--output", out.string()});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.stderrText.find("panel fetch failed"), std::string::npos) << r.stderrText;
}

}  // namespace
}  // namespace cpa::test
