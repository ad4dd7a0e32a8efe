// The application log line format (logs.md §2.2) and the process sink.
#include "runtime/logger.hpp"
#include "runtime/services_registry.hpp"
#include "test_support.hpp"

#include <cpa/sdk/log_writer.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <ctime>
#include <regex>
#include <thread>
#include <vector>

using cpa::core::formatLogLine;
using cpa::core::LogSink;
using cpa::sdk::LogLevel;

namespace {

std::chrono::system_clock::time_point localTime(int y, int mo, int d, int h, int mi, int s) {
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    tm.tm_isdst = -1;
    return std::chrono::system_clock::from_time_t(std::mktime(&tm)) + std::chrono::milliseconds(789);
}

const std::regex kLine(R"(^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\] \[[^\]]+\] \[(debug|info |warn |error)\] \[[^\]]+\] .*\n$)");

}  // namespace

TEST(LogFormat, MatchesTheOriginalLayout) {
    const auto when = localTime(2026, 5, 1, 12, 0, 3);
    EXPECT_EQ(formatLogLine(when, LogLevel::Info, "", "cpa.core", "server started"),
              "[2026-05-01 12:00:03] [--------] [info ] [cpa.core] server started\n");
    EXPECT_EQ(formatLogLine(when, LogLevel::Warning, "a1b2c3d4", "cpa.access", "200 | x"),
              "[2026-05-01 12:00:03] [a1b2c3d4] [warn ] [cpa.access] 200 | x\n");
    EXPECT_EQ(formatLogLine(when, LogLevel::Debug, "", "n", "m"), "[2026-05-01 12:00:03] [--------] [debug] [n] m\n");
    EXPECT_EQ(formatLogLine(when, LogLevel::Error, "", "n", "m"), "[2026-05-01 12:00:03] [--------] [error] [n] m\n");
}

TEST(LogFormat, OmitsAnEmptyCallerAndKeepsOneLinePerEntry) {
    const auto when = localTime(2026, 1, 2, 3, 4, 5);
    EXPECT_EQ(formatLogLine(when, LogLevel::Info, "", "", "msg\r\n\n"), "[2026-01-02 03:04:05] [--------] [info ] msg\n");
    EXPECT_EQ(formatLogLine(when, LogLevel::Info, "", "c", "a\nb\rc\n"),
              "[2026-01-02 03:04:05] [--------] [info ] [c] a\\nb\\rc\n");
}

TEST(LogSink, WritesNamedLinesThroughTheInstalledWriter) {
    cpa::loader_test::LogCapture capture;
    auto logger = cpa::core::makeLogger("cpa.test");
    logger->info("hello");
    logger->log(LogLevel::Warning, "req12345", "with id");
    const auto lines = capture.lines();
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_TRUE(std::regex_match(lines[0], kLine)) << lines[0];
    EXPECT_NE(lines[0].find("] [--------] [info ] [cpa.test] hello\n"), std::string::npos) << lines[0];
    EXPECT_NE(lines[1].find("] [req12345] [warn ] [cpa.test] with id\n"), std::string::npos) << lines[1];
}

TEST(LogSink, ThresholdFollowsTheDebugSwitch) {
    cpa::loader_test::LogCapture capture;
    auto& sink = LogSink::instance();
    auto logger = cpa::core::makeLogger("cpa.test");
    sink.setDebug(false);
    logger->debug("hidden");
    logger->info("shown");
    sink.setDebug(true);
    EXPECT_TRUE(logger->enabled(LogLevel::Debug));
    logger->debug("now visible");
    sink.setThreshold(LogLevel::Error);
    logger->warning("dropped");
    logger->error("kept");
    sink.setDebug(false);
    const auto lines = capture.lines();
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_NE(lines[0].find("shown"), std::string::npos);
    EXPECT_NE(lines[1].find("[debug] [cpa.test] now visible"), std::string::npos);
    EXPECT_NE(lines[2].find("kept"), std::string::npos);
    EXPECT_EQ(sink.threshold(), LogLevel::Info);
}

TEST(LogSink, ConcurrentEntriesNeverInterleave) {
    cpa::loader_test::LogCapture capture;
    constexpr int kThreads = 8;
    constexpr int kLines = 200;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([t] {
            auto logger = cpa::core::makeLogger("cpa.thread" + std::to_string(t));
            for (int i = 0; i < kLines; ++i) logger->info("line " + std::to_string(i) + std::string(100, 'x'));
        });
    }
    for (auto& th : threads) th.join();
    const auto lines = capture.lines();
    ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kLines));
    for (const auto& l : lines) ASSERT_TRUE(std::regex_match(l, kLine)) << l;
}

TEST(LogSink, AWriterThatLogsOrThrowsDoesNotHang) {
    auto& sink = LogSink::instance();
    int calls = 0;
    sink.setWriter([&](std::string_view) {
        ++calls;
        if (calls == 1) cpa::core::makeLogger("cpa.nested")->info("nested entry goes to stdout");
        if (calls == 2) throw std::runtime_error("disk full");
    });
    auto logger = cpa::core::makeLogger("cpa.test");
    logger->info("first");
    logger->info("second");
    sink.setWriter(nullptr);
    EXPECT_EQ(calls, 2);
}

TEST(LogSink, ModulesInstallAWriterThroughTheServiceRegistry) {
    cpa::core::ServicesRegistry services;
    cpa::core::provideLogWriterService(services);
    const auto setter = services.get(cpa::sdk::kLogWriterService);
    ASSERT_NE(setter, nullptr);
    std::vector<std::string> lines;
    (*setter)([&](std::string_view line) { lines.emplace_back(line); });
    cpa::core::makeLogger("cpa.test")->info("to the module's writer");
    (*setter)(nullptr);
    cpa::core::makeLogger("cpa.test")->info("back to stdout");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("[cpa.test] to the module's writer\n"), std::string::npos);
}

// Deferred entries (access lines, SinkLogger::logDeferred): batched in the
// background, but never reordered against ordinary entries nor lost at a
// writer change, a flush or exit.
TEST(LogSink, DeferredEntriesComeBeforeALaterImmediateOne) {
    cpa::loader_test::LogCapture capture;
    auto logger = cpa::core::makeLogger("cpa.access");
    for (int i = 0; i < 5; ++i) logger->logDeferred(LogLevel::Info, "req0000" + std::to_string(i), "line " + std::to_string(i));
    logger->info("immediate");
    // Uncontended, the immediate entry is written before info() returns, and the deferred ones with it.
    const auto lines = capture.lines();
    ASSERT_EQ(lines.size(), 6u);
    for (int i = 0; i < 5; ++i)
        EXPECT_NE(lines[i].find("] [req0000" + std::to_string(i) + "] [info ] [cpa.access] line " + std::to_string(i) + "\n"),
                  std::string::npos)
            << lines[i];
    EXPECT_NE(lines[5].find("[cpa.access] immediate\n"), std::string::npos) << lines[5];
}

TEST(LogSink, FlushWritesDeferredEntries) {
    cpa::loader_test::LogCapture capture;
    auto logger = cpa::core::makeLogger("cpa.access");
    for (int i = 0; i < 50; ++i) logger->logDeferred(LogLevel::Warning, "", "deferred " + std::to_string(i));
    LogSink::instance().flush();
    const auto lines = capture.lines();
    ASSERT_EQ(lines.size(), 50u);
    for (int i = 0; i < 50; ++i) EXPECT_NE(lines[i].find("[warn ] [cpa.access] deferred " + std::to_string(i) + "\n"), std::string::npos);
}

TEST(LogSink, DeferredEntriesBelowTheThresholdAreDropped) {
    cpa::loader_test::LogCapture capture;
    auto logger = cpa::core::makeLogger("cpa.access");
    logger->logDeferred(LogLevel::Debug, "", "hidden");
    LogSink::instance().flush();
    EXPECT_TRUE(capture.lines().empty());
}

TEST(LogSink, ANewWriterGetsNoEntryLoggedBeforeIt) {
    std::vector<std::string> before;
    std::vector<std::string> after;
    auto& sink = LogSink::instance();
    sink.setWriter([&](std::string_view line) { before.emplace_back(line); });
    auto logger = cpa::core::makeLogger("cpa.access");
    for (int i = 0; i < 10; ++i) logger->logDeferred(LogLevel::Info, "", "old " + std::to_string(i));
    sink.setWriter([&](std::string_view line) { after.emplace_back(line); });
    EXPECT_EQ(before.size(), 10u) << "pending deferred entries go to the writer they were logged under";
    logger->logDeferred(LogLevel::Info, "", "new");
    sink.setWriter(nullptr);
    EXPECT_EQ(before.size(), 10u);
    ASSERT_EQ(after.size(), 1u);
    EXPECT_NE(after[0].find("[cpa.access] new\n"), std::string::npos);
}

TEST(LogSinkDeathTest, DeferredEntriesAreWrittenAtExit) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            LogSink::instance().setWriter(nullptr);  // the default: stdout
            ::dup2(STDERR_FILENO, STDOUT_FILENO);     // which, here, is the stderr the death test reads
            auto logger = cpa::core::makeLogger("cpa.access");
            for (int i = 0; i < 200; ++i) logger->logDeferred(LogLevel::Info, "", "at exit " + std::to_string(i));
            std::exit(0);  // well within the flusher's batch window
        },
        ::testing::ExitedWithCode(0), "at exit 0\n(.*\n)*.*at exit 199\n");
}

TEST(LogFormat, JsonEntriesCarryStableFieldsAndEscapes) {
    const std::string line = cpa::core::formatJsonLogLine(localTime(2026, 5, 1, 12, 3, 4), LogLevel::Warning, "rid-1",
                                                          "cpa.core", "a \"quoted\"\nline\x01", R"("status":200)");
    const std::regex shape(
        R"re(^\{"time":"2026-05-01T12:03:04\.789[+-]\d\d:\d\d","level":"warn","request_id":"rid-1","logger":"cpa\.core","msg":"a \\"quoted\\"\\nline\\u0001","status":200\}\n$)re");
    EXPECT_TRUE(std::regex_match(line, shape)) << line;
    const std::string bare = cpa::core::formatJsonLogLine(localTime(2026, 5, 1, 12, 3, 4), LogLevel::Info, "", "", "x\n");
    EXPECT_NE(bare.find(R"("level":"info","request_id":"","logger":"","msg":"x"})"), std::string::npos) << bare;
}
