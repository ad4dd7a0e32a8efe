#include "runtime/logger.hpp"

#include <atomic>
#include <cerrno>
#include <ctime>
#include <mutex>
#include <utility>
#include <unistd.h>

namespace cpa::core {
namespace {

// Loops over partial writes so a line reaches the fd in one piece where the
// kernel allows (pipes and files: a single write for lines < PIPE_BUF).
void writeFd(int fd, std::string_view data) noexcept {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

// Set while this thread runs the sink's writer, so a writer that logs does
// not deadlock on the sink's mutex.
thread_local bool tInsideWriter = false;

}  // namespace

LogWriter stderrLogWriter() {
    return [](std::string_view line) { writeFd(STDERR_FILENO, line); };
}

LogWriter stdoutLogWriter() {
    return [](std::string_view line) { writeFd(STDOUT_FILENO, line); };
}

std::string_view logLevelLabel(sdk::LogLevel level) noexcept {
    switch (level) {
        case sdk::LogLevel::Debug: return "debug";
        case sdk::LogLevel::Info: return "info ";
        case sdk::LogLevel::Warning: return "warn ";
        case sdk::LogLevel::Error: return "error";
    }
    return "info ";
}

std::string formatLogLine(std::chrono::system_clock::time_point when, sdk::LogLevel level,
                          std::string_view requestId, std::string_view caller, std::string_view message) {
    const std::time_t t = std::chrono::system_clock::to_time_t(when);
    std::tm tm{};
    localtime_r(&t, &tm);
    char stamp[32];
    const std::size_t stampLen = std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);

    while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.remove_suffix(1);

    std::string line;
    line.reserve(stampLen + requestId.size() + caller.size() + message.size() + 32);
    line += '[';
    line.append(stamp, stampLen);
    line += "] [";
    line += requestId.empty() ? std::string_view("--------") : requestId;
    line += "] [";
    line += logLevelLabel(level);
    line += "] ";
    if (!caller.empty()) {
        line += '[';
        line += caller;
        line += "] ";
    }
    // Interior line breaks are escaped: one entry must stay one line, and a
    // client-supplied value must not be able to forge extra entries.
    for (const char c : message) {
        if (c == '\n') {
            line += "\\n";
        } else if (c == '\r') {
            line += "\\r";
        } else {
            line += c;
        }
    }
    line += '\n';
    return line;
}

struct LogSink::State {
    std::mutex mutex;  // serialises writes and writer replacement
    LogWriter writer = stderrLogWriter();
    std::atomic<int> threshold{static_cast<int>(sdk::LogLevel::Info)};
};

LogSink::LogSink() : state_(std::make_unique<State>()) {}

LogSink& LogSink::instance() {
    // Deliberately leaked: loggers may be used from static destructors and
    // from threads still running at exit.
    static LogSink* sink = new LogSink();
    return *sink;
}

void LogSink::setWriter(LogWriter writer) {
    if (!writer) writer = stderrLogWriter();
    LogWriter old;
    {
        std::lock_guard lock(state_->mutex);
        old = std::exchange(state_->writer, std::move(writer));
    }
    // `old` (and whatever it captured) is destroyed outside the lock.
}

void LogSink::setThreshold(sdk::LogLevel level) noexcept {
    state_->threshold.store(static_cast<int>(level), std::memory_order_relaxed);
}

sdk::LogLevel LogSink::threshold() const noexcept {
    return static_cast<sdk::LogLevel>(state_->threshold.load(std::memory_order_relaxed));
}

bool LogSink::enabled(sdk::LogLevel level) const noexcept {
    return static_cast<int>(level) >= state_->threshold.load(std::memory_order_relaxed);
}

void LogSink::write(sdk::LogLevel level, std::string_view caller, std::string_view message,
                    std::string_view requestId) noexcept {
    if (!enabled(level)) return;
    try {
        const std::string line =
            formatLogLine(std::chrono::system_clock::now(), level, requestId, caller, message);
        if (tInsideWriter) {
            writeFd(STDERR_FILENO, line);
            return;
        }
        std::lock_guard lock(state_->mutex);
        tInsideWriter = true;
        try {
            state_->writer(line);
        } catch (...) {
            // A failing writer must not take the caller down; the entry goes
            // to stderr instead.
            writeFd(STDERR_FILENO, line);
        }
        tInsideWriter = false;
    } catch (...) {
        // Formatting ran out of memory: nothing sensible left to do.
    }
}

void SinkLogger::log(sdk::LogLevel level, std::string_view message) {
    LogSink::instance().write(level, name_, message);
}

void SinkLogger::log(sdk::LogLevel level, std::string_view requestId, std::string_view message) {
    LogSink::instance().write(level, name_, message, requestId);
}

std::shared_ptr<SinkLogger> makeLogger(std::string name) {
    return std::make_shared<SinkLogger>(std::move(name));
}

void provideLogWriterService(sdk::Services& services) {
    services.provide(std::string(kLogWriterServiceId),
                     std::make_shared<LogWriterSetter>([](std::function<void(std::string_view)> writer) {
                         LogSink::instance().setWriter(std::move(writer));
                     }));
}

}  // namespace cpa::core
