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
    if (result.tornTail && ::ftruncate(fd_, static_cast<off_t>(goodEnd)) != 0) {
        throw std::runtime_error("cannot truncate " + path_ + ": " + std::strerror(errno));
    }
    return result;
}

void UsageLog::start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable() || fd_ < 0) return;
    stopping_ = false;
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
    const bool wake = writerIdle_;
    writerIdle_ = false;
    lock.unlock();
    if (wake) wake_.notify_one();
}

std::size_t UsageLog::dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_;
}

void UsageLog::writeAll(const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;  // disk trouble: the in-memory store stays correct; nothing to do better here
        }
        done += static_cast<std::size_t>(n);
    }
}

void UsageLog::run() {
    using Clock = std::chrono::steady_clock;
    auto lastSync = Clock::now();
    bool dirty = false;
    std::vector<std::string> batch;
    std::string buffer;
    for (;;) {
        bool stopping;
        {
            std::unique_lock lock(mutex_);
            if (pending_.empty() && !stopping_ && !dirty) {
                writerIdle_ = true;
                wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
                writerIdle_ = false;
            }
            // Pace: let a batch gather (stop() still wakes us at once).
            wake_.wait_for(lock, kBatchInterval, [this] { return stopping_; });
            batch.swap(pending_);
            pendingBytes_ = 0;
            stopping = stopping_;
        }
        if (!batch.empty()) {
            buffer.clear();
            for (const std::string& line : batch) {
                buffer += line;
                buffer += '\n';
            }
            batch.clear();
            writeAll(buffer);
            dirty = true;
        }
        if (dirty && (stopping || Clock::now() - lastSync >= kSyncInterval)) {
            ::fdatasync(fd_);
            lastSync = Clock::now();
            dirty = false;
        }
        if (stopping) {
            std::lock_guard lock(mutex_);
            if (pending_.empty()) return;
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
