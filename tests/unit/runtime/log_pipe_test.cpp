// LogPipe (runtime/log_pipe.hpp): the ordering and delivery contract of
// immediate and deferred (batched, background-flushed) log lines.
#include "runtime/log_pipe.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cpa::core {
namespace {

using namespace std::chrono_literals;

/// A writer that keeps every line it is handed (one line per call).
class Capture {
public:
    LogPipe::Writer writer() {
        return [this](std::string_view line) {
            entered_.fetch_add(1);
            if (delay_.count() > 0) std::this_thread::sleep_for(delay_);
            std::lock_guard lock(mutex_);
            lines_.emplace_back(line);
        };
    }
    std::vector<std::string> lines() const {
        std::lock_guard lock(mutex_);
        return lines_;
    }
    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return lines_.size();
    }
    /// Waits up to `timeout` for at least `n` lines.
    bool waitFor(std::size_t n, std::chrono::milliseconds timeout) const {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (size() < n) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(1ms);
        }
        return true;
    }
    /// Waits up to `timeout` until the writer has been called `n` times (it may still be running).
    bool waitEntered(int n, std::chrono::milliseconds timeout) const {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (entered_.load() < n) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(1ms);
        }
        return true;
    }
    void slowDown(std::chrono::microseconds perLine) { delay_ = perLine; }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
    std::chrono::microseconds delay_{0};
    std::atomic<int> entered_{0};
};

std::string line(int producer, int seq) { return "p" + std::to_string(producer) + " " + std::to_string(seq) + "\n"; }

/// Every producer's lines, complete and in the order it logged them.
void expectPerProducerOrder(const std::vector<std::string>& lines, int producers, int perProducer) {
    ASSERT_EQ(lines.size(), static_cast<std::size_t>(producers * perProducer));
    std::map<int, int> next;
    for (const auto& l : lines) {
        int p = -1;
        int seq = -1;
        ASSERT_EQ(std::sscanf(l.c_str(), "p%d %d\n", &p, &seq), 2) << l;
        ASSERT_EQ(seq, next[p]) << "producer " << p << " out of order";
        next[p] = seq + 1;
    }
    for (int p = 0; p < producers; ++p) EXPECT_EQ(next[p], perProducer) << p;
}

TEST(LogPipe, DeferredLinesKeepTheirOrderAcrossProducers) {
    Capture cap;
    LogPipe pipe;
    pipe.replaceWriter(cap.writer());
    constexpr int kProducers = 4;
    constexpr int kLines = 3000;
    std::vector<std::thread> threads;
    for (int p = 0; p < kProducers; ++p)
        threads.emplace_back([&pipe, p] {
            for (int i = 0; i < kLines; ++i) pipe.writeDeferred(line(p, i));
        });
    for (auto& t : threads) t.join();
    pipe.flush();
    expectPerProducerOrder(cap.lines(), kProducers, kLines);
}

TEST(LogPipe, MixedImmediateAndDeferredLinesKeepEachProducersOrder) {
    Capture cap;
    cap.slowDown(2us);  // writers overlap: lines are handed over by whoever is writing
    LogPipe pipe;
    pipe.replaceWriter(cap.writer());
    constexpr int kProducers = 4;
    constexpr int kLines = 1500;
    std::vector<std::thread> threads;
    for (int p = 0; p < kProducers; ++p)
        threads.emplace_back([&pipe, p] {
            for (int i = 0; i < kLines; ++i) {
                if ((i + p) % 3 == 0) {
                    pipe.writeNow(line(p, i));
                } else {
                    pipe.writeDeferred(line(p, i));
                }
            }
        });
    for (auto& t : threads) t.join();
    pipe.flush();
    expectPerProducerOrder(cap.lines(), kProducers, kLines);
}

TEST(LogPipe, DeferredLinesAreWrittenInTheBackground) {
    Capture cap;
    LogPipe pipe;
    pipe.replaceWriter(cap.writer());
    pipe.writeDeferred("first\n");
    pipe.writeDeferred("second\n");
    // No flush: the background flusher writes them within a few milliseconds.
    ASSERT_TRUE(cap.waitFor(2, 2s));
    EXPECT_EQ(cap.lines(), (std::vector<std::string>{"first\n", "second\n"}));
    // And again after it went idle.
    pipe.writeDeferred("third\n");
    ASSERT_TRUE(cap.waitFor(3, 2s));
    EXPECT_EQ(cap.lines().back(), "third\n");
}

TEST(LogPipe, FlushReturnsAfterEveryAcceptedLineWasWritten) {
    Capture cap;
    LogPipe pipe;
    pipe.replaceWriter(cap.writer());
    for (int i = 0; i < 200; ++i) pipe.writeDeferred(line(0, i));
    pipe.flush();
    EXPECT_EQ(cap.size(), 200u);  // at once, not eventually
}

TEST(LogPipe, FlushWaitsForAWriteInProgressOnAnotherThread) {
    Capture cap;
    cap.slowDown(30ms);
    LogPipe pipe;
    pipe.replaceWriter(cap.writer());
    std::thread other([&pipe] { pipe.writeNow("slow\n"); });
    ASSERT_TRUE(cap.waitEntered(1, 2s));  // the other thread is inside the slow writer
    pipe.writeDeferred("queued\n");
    pipe.writeDeferred("last\n");
    pipe.flush();
    EXPECT_EQ(cap.lines(), (std::vector<std::string>{"slow\n", "queued\n", "last\n"}));
    other.join();
}

TEST(LogPipe, AnImmediateLineFollowsThePendingDeferredOnes) {
    Capture cap;
    LogPipe pipe;
    pipe.replaceWriter(cap.writer());
    pipe.writeDeferred("a\n");
    pipe.writeDeferred("b\n");
    pipe.writeDeferred("c\n");
    pipe.writeNow("now\n");
    // Uncontended, writeNow returns after its line (and everything before it) was written.
    EXPECT_EQ(cap.lines(), (std::vector<std::string>{"a\n", "b\n", "c\n", "now\n"}));
}

TEST(LogPipe, ReplacingTheWriterHandsPendingLinesToTheOldOne) {
    Capture oldCap;
    Capture newCap;
    LogPipe pipe;
    pipe.replaceWriter(oldCap.writer());
    for (int i = 0; i < 50; ++i) pipe.writeDeferred(line(0, i));
    const LogPipe::Writer previous = pipe.replaceWriter(newCap.writer());
    EXPECT_TRUE(previous);
    EXPECT_EQ(oldCap.size(), 50u);
    EXPECT_EQ(newCap.size(), 0u);
    pipe.writeDeferred("after\n");
    pipe.flush();
    EXPECT_EQ(oldCap.size(), 50u);
    EXPECT_EQ(newCap.lines(), (std::vector<std::string>{"after\n"}));
}

TEST(LogPipe, DestructionWritesPendingLinesAndStopsTheFlusher) {
    Capture cap;
    {
        LogPipe pipe;
        pipe.replaceWriter(cap.writer());
        for (int i = 0; i < 20; ++i) pipe.writeDeferred(line(0, i));
    }
    expectPerProducerOrder(cap.lines(), 1, 20);
    // A pipe whose flusher never started is destroyed as well.
    { LogPipe idle; }
}

TEST(LogPipe, AThrowingWriterLosesNoLaterLine) {
    Capture cap;
    LogPipe pipe;
    const LogPipe::Writer inner = cap.writer();
    pipe.replaceWriter([&inner](std::string_view l) {
        if (l == "bad\n") throw std::runtime_error("disk full");
        inner(l);
    });
    pipe.writeDeferred("bad\n");  // goes to stderr instead
    pipe.writeDeferred("good\n");
    pipe.writeNow("now\n");
    EXPECT_EQ(cap.lines(), (std::vector<std::string>{"good\n", "now\n"}));
}

}  // namespace
}  // namespace cpa::core
