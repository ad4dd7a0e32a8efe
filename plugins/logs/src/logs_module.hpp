#pragma once
#include "async_log_writer.hpp"
#include "audit_log.hpp"
#include "main_log_file.hpp"
#include "request_log_writer.hpp"
#include "size_cleaner.hpp"

#include <cpa/sdk/log_writer.hpp>
#include <cpa/sdk/module.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace cpa::logs {

/// The logs module: main.log (logging-to-file, rotation, size cleaner), GET and
/// DELETE /logs, the request/error log downloads (logs.md, D6–D8).
class LogsModule : public sdk::Module {
public:
    struct Options {
        std::size_t queueCapacity = 65536;  ///< lines waiting for the writer thread
        std::uint64_t maxMainLogBytes = kMainLogMaxBytes;
        std::chrono::milliseconds cleanerInterval{60000};
        std::size_t requestLogQueue = 1024;  ///< request.completed records waiting to be written
    };

    LogsModule() : LogsModule(Options{}) {}
    explicit LogsModule(Options options) : options_(options) {}
    ~LogsModule() override;

    void configure(sdk::ModuleContext& context) override;
    void registerRoutes(sdk::RouteRegistry& routes) override;
    void start() override;
    void stop() noexcept override;

    /// Lines dropped because the queue was full (since start).
    std::uint64_t droppedLines() const;
    /// Waits until queued lines are on disk (tests, GET/DELETE /logs).
    void flush();
    bool fileLoggingActive() const;
    /// Waits until queued request logs are written.
    void flushRequestLogs();

private:
    using WriterSetter = sdk::LogWriterSetter;

    void apply(const sdk::ConfigSnapshot& snapshot);
    void enableFileLogging();
    void disableFileLogging() noexcept;
    /// Subscribes to the topic `request-log` calls for (under mutex_).
    void followRequestLog(bool full);

    void getLogs(sdk::Request& req, sdk::Response& res);
    void deleteLogs(sdk::Request& req, sdk::Response& res);
    void listErrorLogsRoute(sdk::Request& req, sdk::Response& res);
    void downloadErrorLog(sdk::Request& req, sdk::Response& res);
    void downloadByRequestId(sdk::Request& req, sdk::Response& res);
    void getAudit(sdk::Request& req, sdk::Response& res);

    Options options_;
    sdk::ModuleContext* context_ = nullptr;
    std::string logDir_;
    /// With the shared store (several instances, docs/shared-store.md): this
    /// instance's name, sent as X-CPA-Instance by the log routes (logs stay per instance).
    std::string instance_;
    std::shared_ptr<WriterSetter> setter_;
    sdk::Subscription subscription_;
    std::shared_ptr<RequestLogWriter> requestLogs_;  ///< shared with the event listener
    std::shared_ptr<AuditLog> audit_;      ///< logs/audit.log (issue 25)
    std::shared_ptr<void> metricSource_;   ///< drop counters in /metrics

    mutable std::mutex mutex_;  // guards the members below
    bool applied_ = false;
    bool fileLogging_ = false;
    std::int64_t maxTotalMb_ = 0;
    std::shared_ptr<AsyncLogWriter> writer_;
    std::unique_ptr<PeriodicCleaner> cleaner_;
    std::uint64_t droppedBefore_ = 0;  ///< drops of writers already retired
    /// request.completed while `request-log` is on, else request.failed: a
    /// successful request then builds no record at all (docs/events.md).
    std::shared_ptr<void> requestEvents_;
    bool requestEventsFull_ = false;
};

}  // namespace cpa::logs
