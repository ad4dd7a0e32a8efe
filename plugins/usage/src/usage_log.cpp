#include "usage_log.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

namespace cpa::usage {

namespace {
constexpr auto kSyncInterval = std::chrono::seconds(1);
// Lines are gathered this long before a write: one syscall per batch and no
// wake-up (context switch) per record on the publishing thread.
constexpr auto kBatchInterval = std::chrono::milliseconds(20);
}

UsageLog::UsageLog(std::string path, std::size_t maxPendingBytes)
    : path_(std::move(path)), maxPendingBytes_(maxPendingBytes) {}

UsageLog::~UsageLog() { stop(); }

UsageLog::ReplayResult UsageLog::open(const std::function<bool(std::string_view)>& apply) {
    ReplayResult result;
    const std::filesystem::path p(path_);
    std::error_code ec;
    if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
    if (ec) throw std::runtime_error("cannot create " + p.parent_path().string() + ": " + ec.message());

    std::uintmax_t goodEnd = 0;
    bool exists = std::filesystem::exists(p, ec);
    if (exists) {
        std::ifstream in(p, std::ios::binary);
        if (!in) throw std::runtime_error("cannot read " + path_);
        std::string line;
        std::uintmax_t offset = 0;
        while (std::getline(in, line)) {
            const bool terminated = !in.eof();
            if (!terminated) {
                result.tornTail = true;  // a write cut short by a crash
                break;
            }
            offset += line.size() + 1;
            goodEnd = offset;
            if (line.empty()) continue;
            if (apply(line)) {
                ++result.applied;
            } else {
                ++result.rejected;
            }
        }
    }
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ < 0) throw std::runtime_error("cannot open " + path_ + ": " + std::strerror(errno));
    if (!exists) {
        // A new file's directory entry is durable only once its directory is.
        const std::string dir = p.has_parent_path() ? p.parent_path().string() : std::string(".");
        const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        const bool synced = dfd >= 0 && ::fsync(dfd) == 0;
        const int err = errno;
        if (dfd >= 0) ::close(dfd);
        if (!synced) throw std::runtime_error("cannot sync " + dir + ": " + std::strerror(err));
    }
    if (result.tornTail && ::ftruncate(fd_, static_cast<off_t>(goodEnd)) != 0) {
        throw std::runtime_error("cannot truncate " + path_ + ": " + std::strerror(errno));
    }
    return result;
}

void UsageLog::start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable() || fd_ < 0) return;
    stopping_ = false;
    writerRunning_ = true;
    thread_ = std::thread([this] { run(); });
}

void UsageLog::append(std::string line) {
    std::unique_lock lock(mutex_);
    if (stopping_ || pendingBytes_ + line.size() > maxPendingBytes_) {
        ++dropped_;
        return;
    }
    pendingBytes_ += line.size() + 1;
    pending_.push_back(std::move(line));
    ++appended_;
    const bool wake = writerIdle_;
    writerIdle_ = false;
    lock.unlock();
    if (wake) wake_.notify_one();
}

std::size_t UsageLog::dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_;
}

UsageLog::Mark UsageLog::mark() const {
    std::lock_guard lock(mutex_);
    return Mark{dropped_, failures_};
}

bool UsageLog::syncSince(const Mark& since) {
    std::unique_lock lock(mutex_);
    const std::uint64_t target = appended_;
    if (target > syncWanted_) syncWanted_ = target;
    lock.unlock();
    wake_.notify_one();  // cut the batch pacing short
    lock.lock();
    settledCv_.wait(lock, [&] { return settled_ >= target || !writerRunning_; });
    return settled_ >= target && dropped_ == since.dropped && failures_ == since.failures;
}

bool UsageLog::writeAll(const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;  // disk trouble: the in-memory store stays correct; the loss is counted
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

void UsageLog::run() {
    using Clock = std::chrono::steady_clock;
    auto lastSync = Clock::now();
    bool dirty = false;
    bool failed = false;              // since the last sync
    std::uint64_t writtenThrough = 0;  // appended_ as of the last batch taken
    std::vector<std::string> batch;
    std::string buffer;
    for (;;) {
        bool stopping;
        bool syncWanted;
        {
            std::unique_lock lock(mutex_);
            if (pending_.empty() && !stopping_ && !dirty) {
                writerIdle_ = true;
                wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
                writerIdle_ = false;
            }
            // Pace: let a batch gather (stop() and syncSince() still wake us at once).
            wake_.wait_for(lock, kBatchInterval, [this] { return stopping_ || syncWanted_ > settled_; });
            batch.swap(pending_);
            pendingBytes_ = 0;
            writtenThrough = appended_;
            stopping = stopping_;
            syncWanted = syncWanted_ > settled_;
        }
        if (!batch.empty()) {
            buffer.clear();
            for (const std::string& line : batch) {
                buffer += line;
                buffer += '\n';
            }
            batch.clear();
            if (!writeAll(buffer)) failed = true;
            dirty = true;
        }
        if (dirty && (stopping || syncWanted || Clock::now() - lastSync >= kSyncInterval)) {
            if (::fdatasync(fd_) != 0) failed = true;
            lastSync = Clock::now();
            dirty = false;
            {
                std::lock_guard lock(mutex_);
                settled_ = writtenThrough;
                if (failed) ++failures_;
            }
            failed = false;
            settledCv_.notify_all();
        }
        if (stopping) {
            std::lock_guard lock(mutex_);
            if (pending_.empty()) {
                writerRunning_ = false;
                settledCv_.notify_all();
                return;
            }
        }
    }
}

void UsageLog::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) {
        ::fdatasync(fd_);
        ::close(fd_);
        fd_ = -1;
    }
}

}  // namespace cpa::usage
