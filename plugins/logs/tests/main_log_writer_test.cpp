// The writer thread: order, bounded queue with counted drops, and D6 (truncate
// through the shared append handle while lines keep coming).
#include "async_log_writer.hpp"
#include "test_dir.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <thread>

using namespace cpa::logs;
using cpa::logs::testing::readText;
using cpa::logs::testing::TestDir;

TEST(AsyncLogWriter, WritesEveryLineInOrder) {
    TestDir d;
    auto file = std::make_shared<MainLogFile>(d.path);
    AsyncLogWriter w(file, 100000);
    std::string expected;
    for (int i = 0; i < 5000; ++i) {
        const std::string line = "line " + std::to_string(i) + "\n";
        ASSERT_TRUE(w.enqueue(line));
        expected += line;
    }
    w.flush();
    EXPECT_EQ(readText(d.path / "main.log"), expected);
    EXPECT_EQ(w.dropped(), 0u);
}

TEST(AsyncLogWriter, FullQueueDropsAndReportsInsteadOfBlocking) {
    TestDir d;
    auto file = std::make_shared<MainLogFile>(d.path);
    AsyncLogWriter w(file, 4);
    int accepted = 0;
    for (int i = 0; i < 20000; ++i) accepted += w.enqueue("x " + std::to_string(i) + "\n") ? 1 : 0;
    w.flush();
    EXPECT_GT(w.dropped(), 0u);
    EXPECT_EQ(static_cast<std::uint64_t>(accepted) + w.dropped(), 20000u);
    w.enqueue("last\n");  // the notice goes out with the next batch
    w.flush();
    const std::string text = readText(d.path / "main.log");
    EXPECT_NE(text.find("log queue full: "), std::string::npos);
    std::istringstream in(text);
    std::string line;
    std::uint64_t reported = 0;
    int written = 0;
    while (std::getline(in, line)) {
        const auto pos = line.find("log queue full: ");
        if (pos != std::string::npos) {
            reported += std::stoull(line.substr(pos + 16));
        } else {
            ++written;
        }
    }
    EXPECT_EQ(reported, w.dropped());
    EXPECT_EQ(written, accepted + 1);
}

TEST(AsyncLogWriter, StopDrainsAndLaterLinesAreDropped) {
    TestDir d;
    auto file = std::make_shared<MainLogFile>(d.path);
    AsyncLogWriter w(file, 1000);
    for (int i = 0; i < 100; ++i) w.enqueue("a\n");
    w.stop();
    EXPECT_EQ(readText(d.path / "main.log").size(), 200u);
    EXPECT_FALSE(w.enqueue("b\n"));
    w.flush();  // returns at once after stop
}

TEST(AsyncLogWriter, TruncateUnderLoadLosesNothingAfterItAndLeavesNoNul) {
    TestDir d;
    auto file = std::make_shared<MainLogFile>(d.path);
    AsyncLogWriter w(file, 20000);
    std::atomic<int> next{0};
    std::atomic<bool> truncated{false};
    std::thread producer([&] {
        for (int i = 0; i < 10000; ++i) {
            // Lines 9000.. must come after the truncate even when this thread
            // outruns the main one (release builds on a busy machine).
            if (i == 9000) {
                while (!truncated.load()) std::this_thread::yield();
            }
            // Padded so the file gets big enough for a hole to be visible.
            w.enqueue("seq " + std::to_string(i) + " " + std::string(100, 'p') + "\n");
            next.store(i + 1);
            if (i % 500 == 0) std::this_thread::yield();
        }
    });
    while (next.load() < 5000) std::this_thread::yield();
    w.flush();
    file->truncate();
    truncated.store(true);
    // `next` == k: line k may already be queued (it is stored after the
    // enqueue), but line k + 1 is enqueued only after this load.
    const int firstAfter = next.load() + 1;
    producer.join();
    w.flush();
    const std::string text = readText(d.path / "main.log");
    EXPECT_EQ(text.find('\0'), std::string::npos);
    std::istringstream in(text);
    std::string line;
    int expected = -1;
    int first = -1;
    while (std::getline(in, line)) {
        ASSERT_EQ(line.rfind("seq ", 0), 0u) << line.substr(0, 40);
        const int n = std::stoi(line.substr(4));
        if (first < 0) {
            first = n;
        } else {
            ASSERT_EQ(n, expected) << "gap or reorder";
        }
        expected = n + 1;
    }
    EXPECT_LE(first, firstAfter);
    EXPECT_GT(first, 0) << "lines before the truncate were cleared";
    EXPECT_EQ(expected, 10000);
    EXPECT_EQ(file->size(), text.size());
}
