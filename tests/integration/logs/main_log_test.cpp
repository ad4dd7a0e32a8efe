// main.log through the real server: the sink's lines land there, the switch
// follows config reloads, GET /logs reads them, DELETE /logs under load.
#include "logs_test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <sstream>
#include <thread>

using namespace cpa::test;
using namespace cpa::test::logs;
namespace fs = std::filesystem;

TEST(LogsMainLog, ApplicationLinesGoToMainLogInTheOriginalFormat) {
    ServerProcess server(logsServer(true));
    HttpClient c("127.0.0.1", server.port());
    const fs::path mainLog = server.dir() / "logs" / "main.log";
    ASSERT_EQ(c.get(kBase + "/logs?marker=first-request", kAuth).status, 200);
    ASSERT_TRUE(eventually([&] {
        auto r = c.get(kBase + "/logs?limit=50", kAuth);
        return r.status == 200 && r.body.find("marker=first-request") != std::string::npos;
    })) << slurp(mainLog);
    const std::string text = slurp(mainLog);
    const std::regex shape(R"(^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\] \[[^\]]+\] \[(debug|info |warn |error)\] .*)");
    std::istringstream in(text);
    std::string line;
    int lines = 0;
    while (std::getline(in, line)) {
        ++lines;
        EXPECT_TRUE(std::regex_match(line, shape)) << line;
    }
    EXPECT_GE(lines, 2);
    EXPECT_EQ(server.stdoutText().find("marker=first-request"), std::string::npos)
        << "access lines go to the file, not stdout, while file logging is on";

    auto r = c.get(kBase + "/logs?limit=1", kAuth);
    ASSERT_EQ(r.status, 200);
    auto body = jsonObject(r.body);
    EXPECT_EQ(body->getArray("lines")->size(), 1u);
    EXPECT_GT(body->getValue<long long>("latest-timestamp"), 0);
    EXPECT_EQ(c.get(kBase + "/logs?limit=x", kAuth).body, R"({"error":"invalid limit: must be a positive integer"})");
    EXPECT_EQ(c.get(kBase + "/logs").status, 401);
}

TEST(LogsMainLog, SwitchFollowsConfigReloadsWithoutRestart) {
    ServerProcess server(logsServer(false));
    HttpClient c("127.0.0.1", server.port());
    const fs::path mainLog = server.dir() / "logs" / "main.log";
    auto off = c.get(kBase + "/logs", kAuth);
    EXPECT_EQ(off.status, 400);
    EXPECT_EQ(off.body, R"({"error":"logging to file disabled"})");
    EXPECT_EQ(c.request("DELETE", kBase + "/logs", kAuth).status, 400);
    EXPECT_FALSE(fs::exists(mainLog));

    spit(server.configPath(), logsConfig(true));
    ASSERT_TRUE(eventually([&] { return c.get(kBase + "/logs?on=1", kAuth).status == 200; }));
    ASSERT_TRUE(eventually([&] { return slurp(mainLog).find("on=1") != std::string::npos; }));

    spit(server.configPath(), logsConfig(false));
    ASSERT_TRUE(eventually([&] { return c.get(kBase + "/logs", kAuth).status == 400; }));
    c.get(kBase + "/logs?back-on-stdout=1", kAuth);
    ASSERT_TRUE(eventually([&] { return server.stdoutText().find("back-on-stdout=1") != std::string::npos; }));
    EXPECT_EQ(slurp(mainLog).find("back-on-stdout=1"), std::string::npos);
    EXPECT_EQ(server.stderrText().find("back-on-stdout=1"), std::string::npos) << "the log is not on stderr";
}

TEST(LogsMainLog, DeleteUnderLoadLosesNoLaterLineAndLeavesNoNul) {
    ServerProcess server(logsServer(true));
    const fs::path mainLog = server.dir() / "logs" / "main.log";
    spit(server.dir() / "logs" / "main.log.1", "old backup\n");
    spit(server.dir() / "logs" / "main-2026-01-01T00-00-00.000.log", "old backup\n");

    constexpr int kRequests = 1500;
    std::atomic<int> started{0};
    std::atomic<bool> failed{false};
    std::thread load([&] {
        try {
            HttpClient lc("127.0.0.1", server.port());
            for (int i = 0; i < kRequests; ++i) {
                started.store(i);
                if (lc.get(kBase + "/request-error-logs?seq=" + std::to_string(i) + "&pad=" + std::string(200, 'p'),
                           kAuth)
                        .status != 200) {
                    failed = true;
                }
            }
        } catch (...) {
            failed = true;
        }
    });
    while (started.load() < kRequests / 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    HttpClient c("127.0.0.1", server.port());
    auto del = c.request("DELETE", kBase + "/logs", kAuth);
    const int firstAfter = started.load() + 1;  // requests from here on began after the truncate
    load.join();
    ASSERT_FALSE(failed.load());
    ASSERT_EQ(del.status, 200) << del.body;
    EXPECT_EQ(del.body, R"({"success":true,"message":"Logs cleared successfully","removed":2})");

    const std::string lastMarker = "seq=" + std::to_string(kRequests - 1) + "&";
    ASSERT_TRUE(eventually([&] { return slurp(mainLog).find(lastMarker) != std::string::npos; }));
    const std::string text = slurp(mainLog);
    EXPECT_EQ(text.find('\0'), std::string::npos) << "no hole after the truncate";
    EXPECT_EQ(text.find("seq=0&"), std::string::npos) << "lines before the delete were cleared";
    for (int i = firstAfter; i < kRequests; ++i) {
        ASSERT_NE(text.find("seq=" + std::to_string(i) + "&"), std::string::npos) << "lost line " << i;
    }
    EXPECT_FALSE(fs::exists(server.dir() / "logs" / "main.log.1"));
}

TEST(LogsMainLog, SizeCapRemovesOldLogsButNotTheActiveMainLog) {
    ServerProcess server(logsServer(true));
    const fs::path dir = server.dir() / "logs";
    ASSERT_TRUE(eventually([&] { return fs::exists(dir / "main.log"); }));
    spit(dir / "error-old-2026-01-01T000000-aa.log", std::string(700 * 1024, 'o'));
    spit(dir / "main-2026-01-01T00-00-00.000.log", std::string(700 * 1024, 'b'));
    spit(dir / "keep.txt", std::string(2 * 1024 * 1024, 'k'));
    const auto old = fs::file_time_type::clock::now() - std::chrono::hours(5);
    fs::last_write_time(dir / "error-old-2026-01-01T000000-aa.log", old);
    fs::last_write_time(dir / "main-2026-01-01T00-00-00.000.log", old + std::chrono::hours(1));
    fs::last_write_time(dir / "main.log", old - std::chrono::hours(1));  // oldest, yet protected

    spit(server.configPath(), logsConfig(true, "logs-max-total-size-mb: 1\n"));
    ASSERT_TRUE(eventually([&] { return !fs::exists(dir / "error-old-2026-01-01T000000-aa.log"); }));
    EXPECT_TRUE(fs::exists(dir / "main-2026-01-01T00-00-00.000.log")) << "the total fits once the oldest went";
    EXPECT_TRUE(fs::exists(dir / "main.log"));
    EXPECT_TRUE(fs::exists(dir / "keep.txt")) << "only *.log files count";
}
