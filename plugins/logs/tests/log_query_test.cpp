// GET /logs filtering (logs.md §3.4) read from the end of the files.
#include "log_files.hpp"
#include "log_query.hpp"
#include "reverse_line_reader.hpp"
#include "test_dir.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace cpa::logs;
using cpa::logs::testing::TestDir;
using cpa::logs::testing::writeText;

namespace {

std::vector<std::string> reversed(const std::filesystem::path& p) {
    ReverseLineReader r(p);
    std::vector<std::string> out;
    std::string line;
    while (r.previous(line)) out.push_back(line);
    return out;
}

std::string entry(int second, const std::string& msg) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "[2026-05-01 12:00:%02d] [--------] [info ] [x:1] ", second);
    return buf + msg;
}

}  // namespace

TEST(ReverseLineReader, SplitsLikeAScanner) {
    TestDir d;
    writeText(d.path / "a", "one\ntwo\r\n\nthree\n");
    EXPECT_EQ(reversed(d.path / "a"), (std::vector<std::string>{"three", "", "two", "one"}));
    writeText(d.path / "b", "no newline");
    EXPECT_EQ(reversed(d.path / "b"), (std::vector<std::string>{"no newline"}));
    writeText(d.path / "c", "");
    EXPECT_TRUE(reversed(d.path / "c").empty());
    writeText(d.path / "d", "\n");
    EXPECT_EQ(reversed(d.path / "d"), (std::vector<std::string>{""}));
}

TEST(ReverseLineReader, LinesAcrossManyBlocks) {
    TestDir d;
    std::string text;
    for (int i = 0; i < 20000; ++i) text += "line " + std::to_string(i) + std::string(i % 37, 'z') + "\n";
    text += std::string(200000, 'L') + "\n";  // one line longer than a block
    writeText(d.path / "a", text);
    const auto lines = reversed(d.path / "a");
    ASSERT_EQ(lines.size(), 20001u);
    EXPECT_EQ(lines[0].size(), 200000u);
    EXPECT_EQ(lines[1], "line 19999" + std::string(19999 % 37, 'z'));
    EXPECT_EQ(lines.back(), "line 0");
}

TEST(ReverseLineReader, RefusesAHugeLine) {
    TestDir d;
    writeText(d.path / "a", "x\n" + std::string(kMaxLineBytes + 1, 'y'));
    ReverseLineReader r(d.path / "a");
    std::string line;
    EXPECT_THROW(r.previous(line), std::runtime_error);
}

TEST(LogQuery, AllLinesInFileOrderAcrossBackups) {
    TestDir d;
    writeText(d.path / "main-2026-05-01T00-00-00.000.log", entry(1, "a") + "\n" + entry(2, "b") + "\n");
    writeText(d.path / "main.log.1", entry(3, "c") + "\n");
    writeText(d.path / "main.log", entry(4, "d") + "\n  continuation\n");
    const auto r = queryLogs(mainLogFilesOldestFirst(d.path), {});
    ASSERT_EQ(r.lines.size(), 5u);
    EXPECT_EQ(r.lines[0], entry(1, "a"));
    EXPECT_EQ(r.lines[3], entry(4, "d"));
    EXPECT_EQ(r.lines[4], "  continuation");
    EXPECT_EQ(r.lineCount, 5);
    EXPECT_EQ(r.latestTimestamp, lineTimestamp(entry(4, "")));
}

TEST(LogQuery, CutoffKeepsNewerEntriesWithTheirContinuations) {
    TestDir d;
    writeText(d.path / "main.log", "orphan before any entry\n" + entry(1, "a") + "\n  a-cont\n" + entry(2, "b") +
                                       "\n  b-cont\n" + entry(3, "c") + "\n");
    const std::int64_t t1 = lineTimestamp(entry(1, ""));
    LogQuery q;
    q.cutoff = t1;
    const auto r = queryLogs({d.path / "main.log"}, q);
    EXPECT_EQ(r.lines, (std::vector<std::string>{entry(2, "b"), "  b-cont", entry(3, "c")}));
    EXPECT_EQ(r.latestTimestamp, t1 + 2);

    q.cutoff = t1 - 10;  // everything with an entry; the orphan has none
    const auto all = queryLogs({d.path / "main.log"}, q);
    EXPECT_EQ(all.lines.size(), 5u);
    EXPECT_EQ(all.lineCount, 6);

    q.cutoff = t1 + 100;  // nothing newer: latest falls back to the cutoff
    const auto none = queryLogs({d.path / "main.log"}, q);
    EXPECT_TRUE(none.lines.empty());
    EXPECT_EQ(none.latestTimestamp, t1 + 100);
}

TEST(LogQuery, LimitKeepsTheLastLinesAndStopsEarly) {
    TestDir d;
    std::string text;
    for (int i = 0; i < 50; ++i) text += entry(i % 60, "m" + std::to_string(i)) + "\n";
    writeText(d.path / "main.log", text);
    LogQuery q;
    q.limit = 3;
    const auto r = queryLogs({d.path / "main.log"}, q);
    EXPECT_EQ(r.lines, (std::vector<std::string>{entry(47, "m47"), entry(48, "m48"), entry(49, "m49")}));
    EXPECT_EQ(r.lineCount, 3) << "only what was needed is scanned";
    EXPECT_EQ(r.latestTimestamp, lineTimestamp(entry(49, "")));
}

TEST(LogQuery, LimitPastContinuationLinesStillFindsATimestamp) {
    TestDir d;
    writeText(d.path / "main.log", entry(5, "a") + "\n  x\n  y\n  z\n");
    LogQuery q;
    q.limit = 2;
    const auto r = queryLogs({d.path / "main.log"}, q);
    EXPECT_EQ(r.lines, (std::vector<std::string>{"  y", "  z"}));
    EXPECT_EQ(r.latestTimestamp, lineTimestamp(entry(5, "")));
}

TEST(LogQuery, UnreadableFileIsAnError) {
    TestDir d;
    try {
        queryLogs({d.path / "main.log"}, {});
        FAIL() << "expected LogReadError";
    } catch (const LogReadError& e) {
        EXPECT_NE(std::string(e.what()).find("failed to read log file " + (d.path / "main.log").string()),
                  std::string::npos);
    }
}
