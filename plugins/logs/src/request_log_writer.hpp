#pragma once
// Writes request logs off the publishing thread: `request.completed` (or, in
// error-only mode, `request.failed`) records are queued (bounded, drops
// counted) and a worker renders and writes them.
#include <cpa/sdk/module.hpp>
#include <cpa/sdk/value.hpp>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace cpa::logs {

struct RequestLogJob {
    sdk::Value record;
    bool full = false;            ///< request-log on
    std::int64_t maxErrorFiles = 10;  ///< error-logs-max-files (0 = keep all)
};

/// Keeps the newest `keep` error-*.log files (by mtime); returns how many went.
std::size_t enforceErrorLogRetention(const std::filesystem::path& dir, std::int64_t keep);

class RequestLogWriter {
public:
    RequestLogWriter(std::filesystem::path dir, std::string version, std::size_t capacity,
                     std::function<void(const std::string&)> onError);
    ~RequestLogWriter();  ///< writes what is queued, then joins

    bool enqueue(RequestLogJob job);
    void flush();
    std::uint64_t dropped() const noexcept { return dropped_.load(); }

    /// Renders and writes one job now; returns the file name ("" when skipped).
    std::string writeNow(const RequestLogJob& job);

    RequestLogWriter(const RequestLogWriter&) = delete;
    RequestLogWriter& operator=(const RequestLogWriter&) = delete;

private:
    void run();

    std::filesystem::path dir_;
    std::string version_;
    std::size_t capacity_;
    std::function<void(const std::string&)> onError_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::deque<RequestLogJob> queue_;
    bool busy_ = false;
    bool stopping_ = false;
    std::atomic<std::uint64_t> dropped_{0};
    std::atomic<std::uint64_t> sequence_{0};
    std::thread thread_;
};

/// Feeds `writer` from the topic of the request-log mode: request.completed
/// while `request-log` is on (`full`), request.failed while it is off
/// (docs/events.md). Across a toggle both topics may deliver a failed request
/// for a moment: only the listener of the mode now configured writes it.
std::shared_ptr<void> subscribeRequestLogs(sdk::ModuleContext& ctx, std::shared_ptr<RequestLogWriter> writer,
                                           bool full);

}  // namespace cpa::logs
