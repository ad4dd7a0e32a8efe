#pragma once
// The process-wide application log: one sink, many named loggers. Lines follow
// logs.md §2.2: "[YYYY-MM-DD HH:MM:SS] [<request-id>|--------] [<level>] [<name>] <message>".
#include <cpa/sdk/module.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace cpa::core {

/// Receives one complete line (terminated by '\n') per call. Must not log
/// itself (a nested log call from inside a writer goes straight to stdout).
using LogWriter = std::function<void(std::string_view line)>;

/// Writers for the standard streams: one write(2) per line, no buffering.
LogWriter stderrLogWriter();
LogWriter stdoutLogWriter();

/// Renders one entry. `requestId` empty → "--------"; `caller` empty → the
/// caller segment is omitted. Trailing CR/LF of `message` are stripped and
/// interior ones escaped, so one entry is always exactly one line.
std::string formatLogLine(std::chrono::system_clock::time_point when, sdk::LogLevel level,
                          std::string_view requestId, std::string_view caller, std::string_view message);

/// The same entry as one JSON object (`log-format: json`, issue 25), fields in
/// this order: time (RFC 3339, local offset, ms), level, request_id ("" when
/// none), logger, msg, then `extraFields` (pre-rendered members, may be empty).
std::string formatJsonLogLine(std::chrono::system_clock::time_point when, sdk::LogLevel level,
                              std::string_view requestId, std::string_view caller, std::string_view message,
                              std::string_view extraFields = {});

/// "debug", "info ", "warn ", "error" (padded to 5 as in the original).
std::string_view logLevelLabel(sdk::LogLevel level) noexcept;

/// The sink every core logger writes to. Thread-safe; each entry is written by
/// exactly one writer call, entries never interleave.
class LogSink {
public:
    static LogSink& instance();

    /// Replaces the writer (e.g. the logs module's main.log writer); an empty
    /// function restores the stdout writer. Returns after every entry logged
    /// before the call has been handed to the old writer.
    void setWriter(LogWriter writer);
    /// Returns once every entry logged so far has been handed to the writer
    /// (under contention a logger may return while another thread writes
    /// its entry).
    void flush() noexcept;
    /// Entries below `level` are dropped. Default: Info.
    void setThreshold(sdk::LogLevel level) noexcept;
    sdk::LogLevel threshold() const noexcept;
    /// The config key `debug`: Debug when on, Info when off.
    void setDebug(bool on) noexcept { setThreshold(on ? sdk::LogLevel::Debug : sdk::LogLevel::Info); }
    bool enabled(sdk::LogLevel level) const noexcept;
    /// `log-format: json`: every entry is one JSON object per line.
    void setJson(bool on) noexcept;
    bool json() const noexcept;

    /// Formats and writes one entry if `level` passes the threshold. Never
    /// throws. Uncontended, the entry is written before this returns; while
    /// another thread is writing, it is queued and that thread writes it
    /// (one write(2) for the batch with the default stdout writer).
    /// `deferred` (access lines): the entry is queued and written within about
    /// 20 ms by a background flusher, batched with its neighbours, or
    /// earlier by the next non-deferred entry (order is always kept). Pending
    /// entries are flushed by flush(), setWriter() and at exit.
    void write(sdk::LogLevel level, std::string_view caller, std::string_view message,
               std::string_view requestId = {}, bool deferred = false, std::string_view jsonFields = {}) noexcept;

    LogSink(const LogSink&) = delete;
    LogSink& operator=(const LogSink&) = delete;

private:
    LogSink();
    struct State;
    std::unique_ptr<State> state_;
};

/// A named logger on the process sink; the name fills the caller slot.
class SinkLogger : public sdk::Logger {
public:
    explicit SinkLogger(std::string name) : name_(std::move(name)) {}
    void log(sdk::LogLevel level, std::string_view message) override;
    /// The same, with the request id in the second column (access lines etc.).
    void log(sdk::LogLevel level, std::string_view requestId, std::string_view message);
    /// The same, written in the background within about two milliseconds (the
    /// access log: one write(2) per batch instead of one per request).
    void logDeferred(sdk::LogLevel level, std::string_view requestId, std::string_view message,
                     std::string_view jsonFields = {});
    bool enabled(sdk::LogLevel level) const noexcept { return LogSink::instance().enabled(level); }
    const std::string& name() const noexcept { return name_; }

private:
    std::string name_;
};

/// A logger named e.g. "cpa.core", "cpa.access", "cpa.module.<name>".
std::shared_ptr<SinkLogger> makeLogger(std::string name);

/// Shorthands for LogSink::instance().setWriter / setDebug.
inline void setSinkWriter(LogWriter writer) { LogSink::instance().setWriter(std::move(writer)); }
inline void setLogDebug(bool on) noexcept { LogSink::instance().setDebug(on); }
inline bool jsonLogs() noexcept { return LogSink::instance().json(); }

/// Lends the sink to modules as sdk::kLogWriterService (cpa/sdk/log_writer.hpp).
/// The app should also reset the writer after stopping modules.
void provideLogWriterService(sdk::Services& services);

}  // namespace cpa::core
