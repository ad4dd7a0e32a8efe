#pragma once
// The durable side of the usage store (deviation D13): an append-only
// JSON-lines file in the data directory, written by one background thread.
// Publishers only enqueue; the thread writes at once and fsyncs at most once
// a second, so a kill -9 loses nothing already handed to write() and a power
// loss at most about the last second. See docs/usage-storage.md.
#include "record_log.hpp"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace cpa::usage {

class UsageLog final : public RecordLog {
public:

    /// maxPendingBytes bounds the queue; beyond it lines are dropped (counted).
    explicit UsageLog(std::string path, std::size_t maxPendingBytes = 64u << 20);
    ~UsageLog() override;

    /// Reads the file (creating parent directories), hands every complete line
    /// to `apply`, truncates a torn last line, then opens for appending.
    /// Throws std::runtime_error when the file cannot be read or opened.
    ReplayResult open(const std::function<bool(std::string_view line)>& apply) override;
    /// Starts the writer thread (after open()).
    void start() override;
    /// Never blocks on disk; `line` must not contain a newline.
    void append(std::string line) override;
    Mark mark() const override;
    /// Blocks until every line appended so far is written and fdatasync'ed
    /// (at once, not at the next once-a-second sync). True iff that worked
    /// and no line appended since `since` was dropped or failed to write:
    /// what an acknowledged import needs before it answers.
    bool syncSince(const Mark& since) override;
    /// Writes what is queued, fsyncs and joins the thread. Idempotent.
    void stop() noexcept override;

    std::size_t dropped() const override;
    const std::string& path() const noexcept { return path_; }
    std::string where() const override { return path_; }

    UsageLog(const UsageLog&) = delete;
    UsageLog& operator=(const UsageLog&) = delete;

private:
    void run();
    bool writeAll(const std::string& data);

    std::string path_;
    std::size_t maxPendingBytes_;
    int fd_ = -1;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<std::string> pending_;
    std::size_t pendingBytes_ = 0;
    std::size_t dropped_ = 0;
    bool stopping_ = false;
    bool writerIdle_ = false;  ///< the writer sleeps until woken (nothing unsynced)
    std::uint64_t appended_ = 0;   ///< lines accepted by append() so far
    std::uint64_t settled_ = 0;    ///< of those, how many were written and synced (or failed)
    std::uint64_t failures_ = 0;   ///< batches whose write or fdatasync failed
    std::uint64_t syncWanted_ = 0; ///< a syncSince() waits for this many lines
    bool writerRunning_ = false;
    std::condition_variable settledCv_;
    std::thread thread_;
};

}  // namespace cpa::usage
