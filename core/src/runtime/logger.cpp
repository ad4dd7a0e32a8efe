#include "runtime/logger.hpp"

#include <cpa/sdk/log_writer.hpp>

#include "runtime/log_pipe.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/time_format.hpp>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <utility>
#include <unistd.h>

namespace cpa::core {

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
    // localtime_r takes glibc's time-zone lock: under load every request
    // thread would queue on it. The stamp changes once a second, so each
    // thread keeps the last one it rendered.
    struct StampCache {
        std::time_t second = -1;
        char text[32] = {};
        std::size_t len = 0;
    };
    thread_local StampCache cache;
    const std::time_t t = std::chrono::system_clock::to_time_t(when);
    if (t != cache.second) {
        std::tm tm{};
        localtime_r(&t, &tm);
        cache.len = std::strftime(cache.text, sizeof cache.text, "%Y-%m-%d %H:%M:%S", &tm);
        cache.second = t;
    }
    const char* stamp = cache.text;
    const std::size_t stampLen = cache.len;

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

std::string formatJsonLogLine(std::chrono::system_clock::time_point when, sdk::LogLevel level,
                              std::string_view requestId, std::string_view caller, std::string_view message,
                              std::string_view extraFields) {
    // Numeric "+00:00" even in UTC, as this log format always wrote it.
    std::string stamp;
    sdk::appendRfc3339(stamp, sdk::localTime(when), sdk::TimeFraction::Millis, sdk::UtcZone::Numeric);

    while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.remove_suffix(1);
    std::string_view label = logLevelLabel(level);
    while (!label.empty() && label.back() == ' ') label.remove_suffix(1);

    std::string line;
    line.reserve(message.size() + requestId.size() + caller.size() + extraFields.size() + 96);
    line += "{\"time\":\"";
    line += stamp;
    line += "\",\"level\":\"";
    line += label;
    line += "\",\"request_id\":";
    sdk::appendJsonString(line, requestId);
    line += ",\"logger\":";
    sdk::appendJsonString(line, caller);
    line += ",\"msg\":";
    sdk::appendJsonString(line, message);
    if (!extraFields.empty()) {
        line += ',';
        line += extraFields;
    }
    line += "}\n";
    return line;
}

struct LogSink::State {
    LogPipe pipe;
    std::atomic<int> threshold{static_cast<int>(sdk::LogLevel::Info)};
    std::atomic<bool> json{false};
};

LogSink::LogSink() : state_(std::make_unique<State>()) {
    // Deferred entries (access lines) must not be lost when the process exits normally.
    std::atexit([] { LogSink::instance().flush(); });
}

LogSink& LogSink::instance() {
    // Deliberately leaked: loggers may be used from static destructors and
    // from threads still running at exit.
    static LogSink* sink = new LogSink();
    return *sink;
}

void LogSink::setWriter(LogWriter writer) {
    // An empty writer is the pipe's own batched stdout writer. The old one
    // (and whatever it captured) is destroyed here, outside the pipe's lock.
    LogWriter old = state_->pipe.replaceWriter(std::move(writer));
}

void LogSink::flush() noexcept { state_->pipe.flush(); }

void LogSink::setThreshold(sdk::LogLevel level) noexcept {
    state_->threshold.store(static_cast<int>(level), std::memory_order_relaxed);
}

sdk::LogLevel LogSink::threshold() const noexcept {
    return static_cast<sdk::LogLevel>(state_->threshold.load(std::memory_order_relaxed));
}

bool LogSink::enabled(sdk::LogLevel level) const noexcept {
    return static_cast<int>(level) >= state_->threshold.load(std::memory_order_relaxed);
}

void LogSink::setJson(bool on) noexcept { state_->json.store(on, std::memory_order_relaxed); }

bool LogSink::json() const noexcept { return state_->json.load(std::memory_order_relaxed); }

void LogSink::write(sdk::LogLevel level, std::string_view caller, std::string_view message,
                    std::string_view requestId, bool deferred, std::string_view jsonFields) noexcept {
    if (!enabled(level)) return;
    try {
        const auto now = std::chrono::system_clock::now();
        std::string line = json() ? formatJsonLogLine(now, level, requestId, caller, message, jsonFields)
                                  : formatLogLine(now, level, requestId, caller, message);
        if (LogPipe::onWriterThread()) {
            writeFd(STDOUT_FILENO, line);  // a writer that logs: straight to stdout
        } else if (deferred) {
            state_->pipe.writeDeferred(std::move(line));
        } else {
            state_->pipe.writeNow(std::move(line));
        }
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

void SinkLogger::logDeferred(sdk::LogLevel level, std::string_view requestId, std::string_view message,
                             std::string_view jsonFields) {
    LogSink::instance().write(level, name_, message, requestId, true, jsonFields);
}

std::shared_ptr<SinkLogger> makeLogger(std::string name) {
    return std::make_shared<SinkLogger>(std::move(name));
}

void provideLogWriterService(sdk::Services& services) {
    services.provide(sdk::kLogWriterService,
                     std::make_shared<sdk::LogWriterSetter>([](sdk::LogLineWriter writer) {
                         LogSink::instance().setWriter(std::move(writer));
                     }));
}

}  // namespace cpa::core
