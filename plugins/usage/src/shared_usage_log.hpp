#pragma once
// Usage records in PostgreSQL (table cpa_usage, created by the core's
// migrations) when several instances share one database (docs/shared-store.md):
// every instance inserts its own records in batches from one background
// thread (COPY, off the request path), and applies the other instances'
// records to its in-memory store as they arrive, so /usage, export and import
// of any instance see all of them.
#include "record_log.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

struct pg_conn;

namespace cpa::sdk {
class Logger;
}

namespace cpa::usage {

class SharedUsageLog final : public RecordLog {
public:
    /// `apply` receives other instances' lines (the store's replayLine) from
    /// the background thread and from imports. `writer` names this process
    /// run uniquely (its rows are never applied back to it).
    SharedUsageLog(std::string dsn, std::string description, std::string writer, sdk::Logger& logger,
                   std::size_t maxPendingBytes = 64u << 20);
    ~SharedUsageLog() override;

    ReplayResult open(const std::function<bool(std::string_view line)>& apply) override;
    void start() override;
    void append(std::string line) override;
    Mark mark() const override;
    bool syncSince(const Mark& since) override;
    void stop() noexcept override;
    std::size_t dropped() const override;
    std::string where() const override { return description_; }
    void exclusiveImport(const std::function<void()>& run) override;

    SharedUsageLog(const SharedUsageLog&) = delete;
    SharedUsageLog& operator=(const SharedUsageLog&) = delete;

private:
    void run();
    /// The tail thread: other instances' rows, every kTailInterval.
    void follow();
    /// Inserts `lines` in one transaction; false (connection dropped) on failure.
    bool insert(const std::deque<std::string>& lines);
    /// Applies the other instances' rows after the last one applied. Throws
    /// std::runtime_error when the database cannot be read.
    std::size_t catchUp(pg_conn* conn);
    pg_conn* writerConnection();

    const std::string dsn_;
    const std::string description_;
    const std::string writer_;
    sdk::Logger& logger_;
    const std::size_t maxPendingBytes_;
    std::function<bool(std::string_view)> apply_;

    pg_conn* conn_ = nullptr;  // the writer thread's (open() before it starts)
    std::mutex tailMutex_;     // one catch-up at a time; guards lastId_
    std::int64_t lastId_ = 0;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable settledCv_;
    std::deque<std::string> pending_;
    std::size_t pendingBytes_ = 0;
    std::size_t dropped_ = 0;
    std::uint64_t failures_ = 0;
    std::uint64_t appended_ = 0;
    std::uint64_t settled_ = 0;  // appended lines committed (or dropped at stop)
    bool stopping_ = false;
    bool outage_ = false;
    std::thread thread_;        // writes this instance's lines
    std::thread tailThread_;    // applies the other instances' (apart: applying must not delay writing)
};

}  // namespace cpa::usage
