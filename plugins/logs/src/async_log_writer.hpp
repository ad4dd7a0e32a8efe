#pragma once
// Keeps request threads off the disk: lines go into a bounded queue that one
// thread drains into main.log. A full queue drops the line and counts it.
#include "main_log_file.hpp"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace cpa::logs {

class AsyncLogWriter {
public:
    AsyncLogWriter(std::shared_ptr<MainLogFile> file, std::size_t capacity);
    ~AsyncLogWriter();  ///< drains what is queued, then joins

    /// Never blocks on disk; false when the line was dropped (queue full or stopped).
    bool enqueue(std::string_view line);
    /// Waits until every line enqueued before the call is on disk.
    void flush();
    /// Drains and joins the thread; later enqueue() calls drop.
    void stop();

    std::uint64_t dropped() const noexcept { return dropped_.load(); }
    MainLogFile& file() noexcept { return *file_; }

    AsyncLogWriter(const AsyncLogWriter&) = delete;
    AsyncLogWriter& operator=(const AsyncLogWriter&) = delete;

private:
    void run();

    std::shared_ptr<MainLogFile> file_;
    const std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable drained_;
    std::deque<std::string> queue_;
    std::uint64_t enqueued_ = 0;  ///< sequence of accepted lines
    std::uint64_t written_ = 0;   ///< sequence of lines handed to the file
    std::uint64_t reportedDrops_ = 0;
    bool stopping_ = false;
    bool finished_ = false;  ///< run() returned
    std::atomic<std::uint64_t> dropped_{0};
    std::thread thread_;
};

/// The notice the writer thread adds to main.log after lines were dropped.
std::string droppedLinesNotice(std::uint64_t count);

}  // namespace cpa::logs
