#pragma once
// Carries finished log lines to the installed writer without making request
// threads wait on each other (see log_pipe.cpp for why).
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace cpa::core {

/// Loops over partial writes; errors are ignored (a log must not fail its caller).
void writeFd(int fd, std::string_view data) noexcept;

class LogPipe {
public:
    /// Receives one complete line per call; empty = batched writes to stdout
    /// (the application log, as the original writes it).
    using Writer = std::function<void(std::string_view line)>;

    LogPipe() = default;
    /// Stops the background flusher and hands every pending line to the
    /// writer (the process sink is never destroyed; it flushes at exit).
    ~LogPipe();
    LogPipe(const LogPipe&) = delete;
    LogPipe& operator=(const LogPipe&) = delete;

    /// True while this thread runs the writer (a writer that logs must not
    /// re-enter the pipe).
    static bool onWriterThread() noexcept;

    /// Hands every line accepted so far to the current writer, then installs
    /// `writer`; returns the old one (destroy it outside any lock).
    Writer replaceWriter(Writer writer);

    /// Written before this returns unless another thread is writing, which
    /// then writes it (in order, in the same batch).
    void writeNow(std::string line) noexcept;
    /// Queued without a lock and written within about 20 ms by a
    /// background flusher (or earlier by the next writeNow), batched.
    void writeDeferred(std::string line) noexcept;
    /// Returns once everything accepted so far has been handed to the writer
    /// (waits at most about two seconds).
    void flush() noexcept;

private:
    struct Node {
        std::string line;
        Node* next = nullptr;
    };

    void collectDeferred();  // caller holds mutex_
    void drain(std::unique_lock<std::mutex>& lock) noexcept;
    void drainIfIdle(std::unique_lock<std::mutex>& lock) noexcept;
    void runFlusher() noexcept;
    void wakeFlusher();
    void notifyFlusher();

    std::mutex mutex_;
    std::condition_variable idle_;  // signalled when a writer finishes a batch
    Writer writer_;
    std::string pending_;  // complete lines, oldest first
    std::string spare_;    // the last batch's buffer, reused
    bool writing_ = false;

    std::atomic<Node*> deferred_{nullptr};  // newest first
    std::atomic<std::size_t> deferredBytes_{0};
    std::atomic<bool> flushScheduled_{false};
    std::atomic<bool> stopping_{false};
    std::mutex wakeMutex_;  // only for the flusher's waits
    std::condition_variable wake_;
    std::once_flag flusherStarted_;
    std::thread flusher_;
};

}  // namespace cpa::core
