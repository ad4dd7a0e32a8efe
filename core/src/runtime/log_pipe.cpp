#include "runtime/log_pipe.hpp"

#include <cerrno>
#include <chrono>
#include <thread>
#include <utility>

#include <unistd.h>

// Why not simply "lock, write(2), unlock": with many request threads on few
// cores, the thread holding the lock is regularly preempted inside write(2);
// every other request thread then blocks on the lock and the server turns
// into a convoy (measured: ~1.5 futex waits and one extra context switch per
// request on the management benchmark). So:
//  * writeNow (ordinary entries): the line is appended to `pending_` under
//    the mutex and the first thread that finds no write in progress becomes
//    the writer, handing batches to the writer function outside the mutex
//    until nothing is left. Uncontended, the line is out before it returns.
//  * writeDeferred (access lines): pushed onto a lock-free stack; a flusher
//    thread collects what arrives within kBatchWindow and writes it in one
//    write(2). A request thread never takes the mutex for its access line.
// Order is kept: every writer collects the deferred stack (under the mutex)
// before appending its own line.

namespace cpa::core {

namespace {

// Long enough that a busy server writes many access lines per wake-up of the
// flusher (each wake-up is two context switches and a write(2): per request
// at 2 ms with a few hundred requests a second), short enough to read a log live.
constexpr auto kBatchWindow = std::chrono::milliseconds(20);
// Beyond this, loggers wait for the writer: a stalled stdout pipe must not
// grow the process without bound.
constexpr std::size_t kMaxPending = 4 << 20;

thread_local bool tInsideWriter = false;

}  // namespace

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

bool LogPipe::onWriterThread() noexcept { return tInsideWriter; }

void LogPipe::collectDeferred() {
    Node* list = deferred_.exchange(nullptr);
    Node* oldestFirst = nullptr;
    while (list != nullptr) {
        Node* next = list->next;
        list->next = oldestFirst;
        oldestFirst = list;
        list = next;
    }
    std::size_t bytes = 0;
    while (oldestFirst != nullptr) {
        Node* next = oldestFirst->next;
        bytes += oldestFirst->line.size();
        pending_ += oldestFirst->line;
        delete oldestFirst;
        oldestFirst = next;
    }
    deferredBytes_.fetch_sub(bytes, std::memory_order_relaxed);
}

void LogPipe::drain(std::unique_lock<std::mutex>& lock) noexcept {
    while (!pending_.empty()) {
        std::string batch = std::exchange(pending_, std::move(spare_));
        pending_.clear();
        Writer* custom = writer_ ? &writer_ : nullptr;
        lock.unlock();
        idle_.notify_all();  // loggers held back by kMaxPending may append again
        tInsideWriter = true;
        if (custom == nullptr) {
            writeFd(STDOUT_FILENO, batch);  // the whole batch in one write(2)
        } else {
            // A module's writer takes one line per call (its contract).
            std::string_view rest = batch;
            while (!rest.empty()) {
                const auto end = rest.find('\n');
                const std::string_view line = rest.substr(0, end == std::string_view::npos ? rest.size() : end + 1);
                rest.remove_prefix(line.size());
                try {
                    (*custom)(line);
                } catch (...) {
                    // A failing writer must not take the caller down; the
                    // entry goes to stdout instead.
                    writeFd(STDOUT_FILENO, line);
                }
            }
        }
        tInsideWriter = false;
        batch.clear();
        lock.lock();
        if (batch.capacity() <= 64 * 1024) spare_ = std::move(batch);
        collectDeferred();
    }
}

void LogPipe::drainIfIdle(std::unique_lock<std::mutex>& lock) noexcept {
    if (writing_ || pending_.empty()) return;
    writing_ = true;
    drain(lock);
    writing_ = false;
    lock.unlock();
    idle_.notify_all();
    lock.lock();
}

LogPipe::Writer LogPipe::replaceWriter(Writer writer) {
    Writer old;
    {
        std::unique_lock lock(mutex_);
        // Entries already accepted go to the writer they were logged under.
        idle_.wait(lock, [this] { return !writing_; });
        collectDeferred();
        drainIfIdle(lock);
        old = std::exchange(writer_, std::move(writer));
    }
    idle_.notify_all();
    return old;
}

void LogPipe::writeNow(std::string line) noexcept {
    try {
        std::unique_lock lock(mutex_);
        if (pending_.size() >= kMaxPending) idle_.wait(lock, [this] { return pending_.size() < kMaxPending; });
        collectDeferred();  // entries deferred before this one go first
        pending_ += line;
        if (writing_) return;  // the writer in progress takes it along
        writing_ = true;
        drain(lock);
        writing_ = false;
        lock.unlock();
        idle_.notify_all();
    } catch (...) {
        // Out of memory or a broken mutex: the entry is lost, the caller is not.
    }
}

void LogPipe::writeDeferred(std::string line) noexcept {
    if (deferredBytes_.load(std::memory_order_relaxed) >= kMaxPending) {
        writeNow(std::move(line));  // the flusher is behind: wait like everyone else
        return;
    }
    try {
        deferredBytes_.fetch_add(line.size(), std::memory_order_relaxed);
        Node* node = new Node{std::move(line), nullptr};
        Node* head = deferred_.load();
        do {
            node->next = head;
        } while (!deferred_.compare_exchange_weak(head, node));
        wakeFlusher();
    } catch (...) {
        // Out of memory: the entry is lost, the caller is not.
    }
}

// The flag is set before the mutex is taken, and the flusher tests it under
// the mutex: it either sees the flag or is already waiting for this notify.
void LogPipe::notifyFlusher() {
    { std::lock_guard lock(wakeMutex_); }
    wake_.notify_one();
}

// Seq-cst on both sides (push then read the flag here; clear the flag then
// take the stack in the flusher): a line the flusher's take missed was pushed
// after the flag was cleared, so its producer sees false and wakes it again.
void LogPipe::wakeFlusher() {
    if (flushScheduled_.load() || flushScheduled_.exchange(true)) return;
    // Joined by the destructor; the process-wide sink is never destroyed
    // (its pending entries are written by the atexit flush).
    std::call_once(flusherStarted_, [this] { flusher_ = std::thread([this] { runFlusher(); }); });
    notifyFlusher();
}

LogPipe::~LogPipe() {
    std::call_once(flusherStarted_, [] {});  // no flusher can start from here on
    if (flusher_.joinable()) {
        // stopping_ before the flag: whichever way the flusher's loop is
        // interleaved with this, it sees stopping_ after its next wake-up.
        stopping_.store(true);
        flushScheduled_.store(true);
        notifyFlusher();
        flusher_.join();
    }
    flush();
}

void LogPipe::runFlusher() noexcept {
    while (!stopping_.load()) {
        {
            // A condition variable, not std::atomic::wait: that one spins with
            // sched_yield first, switching to request threads and back.
            std::unique_lock lock(wakeMutex_);
            wake_.wait(lock, [this] { return flushScheduled_.load(); });
            // Let the batch fill up; the destructor cuts it short.
            wake_.wait_for(lock, kBatchWindow, [this] { return stopping_.load(); });
        }
        flushScheduled_.store(false);
        try {
            std::unique_lock lock(mutex_);
            collectDeferred();
            drainIfIdle(lock);
        } catch (...) {
            // The next round retries.
        }
    }
}

void LogPipe::flush() noexcept {
    try {
        std::unique_lock lock(mutex_);
        collectDeferred();
        drainIfIdle(lock);
        // Bounded: a writer stuck on a full stdout pipe must not hang exit.
        idle_.wait_for(lock, std::chrono::seconds(2), [this] { return !writing_ && pending_.empty(); });
    } catch (...) {
        // Locking failed: nothing left to do.
    }
}

}  // namespace cpa::core
