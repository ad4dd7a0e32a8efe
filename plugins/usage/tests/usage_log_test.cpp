// UsageLog::syncSince: what an acknowledged write waits for.
#include "usage_log.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace fs = std::filesystem;
using cpa::usage::UsageLog;

namespace {

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("cpa-usage-log-" + std::to_string(std::random_device{}()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::string fileText(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

TEST(UsageLog, SyncSinceReturnsWithEveryLineOnDisk) {
    TempDir dir;
    const fs::path file = dir.path / "sub" / "usage.jsonl";  // a new file in a new directory
    UsageLog log(file.string());
    log.open([](std::string_view) { return true; });
    log.start();
    const UsageLog::Mark mark = log.mark();
    for (int i = 0; i < 100; ++i) log.append("{\"n\":" + std::to_string(i) + "}");
    ASSERT_TRUE(log.syncSince(mark));
    // Read while the writer still runs: nothing waits for the once-a-second sync.
    const std::string text = fileText(file);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 100);
    EXPECT_NE(text.find("{\"n\":99}\n"), std::string::npos);
    EXPECT_TRUE(log.syncSince(mark)) << "nothing new: returns at once";
    log.stop();
}

TEST(UsageLog, SyncSinceReportsDroppedLines) {
    TempDir dir;
    UsageLog log((dir.path / "usage.jsonl").string(), 64);  // a tiny queue
    log.open([](std::string_view) { return true; });
    log.start();
    const UsageLog::Mark mark = log.mark();
    for (int i = 0; i < 50; ++i) log.append(std::string(40, 'x'));
    const bool dropped = log.dropped() > 0;
    EXPECT_EQ(log.syncSince(mark), !dropped);
    log.stop();
    const UsageLog::Mark after = log.mark();
    log.append("late");  // refused after stop
    EXPECT_FALSE(log.syncSince(after));
}
