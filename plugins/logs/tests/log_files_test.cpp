// Backup-name recognition, timestamps, file order, rotation names and the size cleaner.
#include "log_files.hpp"
#include "main_log_file.hpp"
#include "size_cleaner.hpp"

#include "test_dir.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>

namespace fs = std::filesystem;
using namespace cpa::logs;
using cpa::logs::testing::TestDir;

namespace {


void writeFile(const fs::path& p, std::size_t bytes, int ageSeconds) {
    std::ofstream(p, std::ios::binary) << std::string(bytes, 'x');
    fs::last_write_time(p, fs::file_time_type::clock::now() - std::chrono::seconds(ageSeconds));
}

}  // namespace

TEST(LogFiles, TimestampParsing) {
    EXPECT_TRUE(parseLocalTimestamp("2026-05-01 12:00:03").has_value());
    EXPECT_FALSE(parseLocalTimestamp("2026-05-01T12:00:03").has_value());
    EXPECT_FALSE(parseLocalTimestamp("2026-13-01 12:00:03").has_value());
    EXPECT_FALSE(parseLocalTimestamp("2026-02-30 12:00:03").has_value());
    EXPECT_FALSE(parseLocalTimestamp("2026-05-01 12:00:0").has_value());
    const auto a = lineTimestamp("[2026-05-01 12:00:03] [--------] [info ] x");
    const auto b = lineTimestamp("2026-05-01 12:00:04 no bracket");
    EXPECT_GT(a, 0);
    EXPECT_EQ(b - a, 1);
    EXPECT_EQ(lineTimestamp("    at continuation"), 0);
    EXPECT_EQ(lineTimestamp(""), 0);
    EXPECT_EQ(lineTimestamp("[2026"), 0);
}

TEST(LogFiles, BackupNames) {
    EXPECT_EQ(mainLogOrder("main.log"), 0);
    EXPECT_EQ(mainLogOrder("main.log.3"), 3);
    EXPECT_FALSE(mainLogOrder("main.log.x"));
    EXPECT_FALSE(mainLogOrder("main.log."));
    EXPECT_TRUE(mainLogOrder("main-2026-05-01T04-00-03.123.log"));
    EXPECT_TRUE(mainLogOrder("main-2026-05-01T04-00-03.log.gz"));
    EXPECT_FALSE(mainLogOrder("main-2026-05-01T04:00:03.log"));
    EXPECT_FALSE(mainLogOrder("main-garbage.log"));
    EXPECT_FALSE(mainLogOrder("error-v1-2026-05-01T040003-ab.log"));
    EXPECT_FALSE(mainLogOrder("main.txt"));
    EXPECT_TRUE(isMainLogBackup("main.log.1"));
    EXPECT_FALSE(isMainLogBackup("main.log"));
    // Newer timestamped backups sort lower.
    EXPECT_LT(*mainLogOrder("main-2026-05-02T00-00-00.000.log"), *mainLogOrder("main-2026-05-01T00-00-00.000.log"));
}

TEST(LogFiles, RotatedNameUsesUtcMilliseconds) {
    const auto t = std::chrono::system_clock::time_point(std::chrono::milliseconds(1777608003123LL));
    EXPECT_EQ(rotatedBackupName(t), "main-2026-05-01T04-00-03.123.log");
    EXPECT_TRUE(isMainLogBackup(rotatedBackupName(std::chrono::system_clock::now())));
}

TEST(LogFiles, OrderOldestContentFirstMainLast) {
    TestDir d;
    for (const char* n : {"main.log", "main.log.1", "main.log.2", "main-2026-05-01T00-00-00.000.log",
                          "main-2026-05-02T00-00-00.000.log", "other.log", "error-x.log"}) {
        writeFile(d.path / n, 1, 0);
    }
    fs::create_directory(d.path / "main.log.9");  // directories are skipped
    std::vector<std::string> names;
    for (const auto& p : mainLogFilesOldestFirst(d.path)) names.push_back(p.filename().string());
    EXPECT_EQ(names, (std::vector<std::string>{"main-2026-05-01T00-00-00.000.log", "main-2026-05-02T00-00-00.000.log",
                                               "main.log.2", "main.log.1", "main.log"}));
}

TEST(MainLogFile, RotatesAtTheLimitWithBackupName) {
    TestDir d;
    MainLogFile f(d.path, 100);
    const std::string line(40, 'a');
    ASSERT_TRUE(f.write(line + "\n"));
    ASSERT_TRUE(f.write(line + "\n"));
    EXPECT_EQ(f.size(), 82u);
    ASSERT_TRUE(f.write(line + "\n"));  // 123 > 100: rotate first
    EXPECT_EQ(f.size(), 41u);
    int backups = 0;
    for (const auto& e : fs::directory_iterator(d.path)) {
        const std::string n = e.path().filename().string();
        if (n == "main.log") continue;
        EXPECT_TRUE(isMainLogBackup(n)) << n;
        EXPECT_EQ(fs::file_size(e.path()), 82u);
        ++backups;
    }
    EXPECT_EQ(backups, 1);
    EXPECT_EQ(fs::file_size(d.path / "main.log"), 41u);
}

TEST(MainLogFile, AppendsToExistingAndRotatesAFullOneAtOpen) {
    TestDir d;
    writeFile(d.path / "main.log", 10, 0);
    {
        MainLogFile f(d.path, 100);
        EXPECT_EQ(f.size(), 10u);
        f.write("abc\n");
    }
    EXPECT_EQ(fs::file_size(d.path / "main.log"), 14u);
    writeFile(d.path / "main.log", 100, 0);
    MainLogFile f(d.path, 100);
    EXPECT_EQ(f.size(), 0u);
    EXPECT_EQ(std::distance(fs::directory_iterator(d.path), fs::directory_iterator()), 2);
}

TEST(MainLogFile, TruncateLeavesNoHole) {
    TestDir d;
    MainLogFile f(d.path, 1 << 20);
    f.write(std::string(1000, 'a') + "\n");
    f.truncate();
    f.write("after\n");
    std::ifstream in(d.path / "main.log", std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(content, "after\n");
    EXPECT_EQ(f.size(), 6u);
}

TEST(SizeCleaner, DeletesOldestUntilUnderLimit) {
    TestDir d;
    writeFile(d.path / "old.log", 60, 300);
    writeFile(d.path / "mid.log", 60, 200);
    writeFile(d.path / "main.log", 60, 100);
    writeFile(d.path / "notes.txt", 500, 400);  // not a log: neither counted nor deleted
    const auto deleted = cleanLogDirectory(d.path, 120, true);
    EXPECT_EQ(deleted, std::vector<std::string>{"old.log"});
    EXPECT_TRUE(fs::exists(d.path / "mid.log"));
    EXPECT_TRUE(fs::exists(d.path / "notes.txt"));
}

TEST(SizeCleaner, ProtectsMainLogOnlyWhileFileLoggingIsOn) {
    TestDir d;
    writeFile(d.path / "main.log", 200, 300);
    writeFile(d.path / "other.LOG.GZ", 50, 100);
    EXPECT_EQ(cleanLogDirectory(d.path, 100, true), std::vector<std::string>{"other.LOG.GZ"});
    EXPECT_TRUE(fs::exists(d.path / "main.log"));
    EXPECT_EQ(cleanLogDirectory(d.path, 100, false), std::vector<std::string>{"main.log"});
    EXPECT_TRUE(cleanLogDirectory(d.path / "missing", 100, false).empty());
}

TEST(SizeCleaner, PeriodicRunsImmediatelyAndAgain) {
    TestDir d;
    writeFile(d.path / "a.log", 100, 100);
    {
        PeriodicCleaner c(d.path, 50, true, std::chrono::milliseconds(20), {});
        for (int i = 0; i < 200 && fs::exists(d.path / "a.log"); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        EXPECT_FALSE(fs::exists(d.path / "a.log"));
        writeFile(d.path / "b.log", 100, 100);
        for (int i = 0; i < 200 && fs::exists(d.path / "b.log"); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        EXPECT_FALSE(fs::exists(d.path / "b.log"));
    }
}
