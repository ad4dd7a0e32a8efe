#include "async_log_writer.hpp"

#include <chrono>
#include <ctime>
#include <vector>

namespace cpa::logs {

std::string droppedLinesNotice(std::uint64_t count) {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    char stamp[32];
    const std::size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
    return "[" + std::string(stamp, n) + "] [--------] [warn ] [cpa.module.logs] log queue full: " +
           std::to_string(count) + " line(s) dropped\n";
}

AsyncLogWriter::AsyncLogWriter(std::shared_ptr<MainLogFile> file, std::size_t capacity)
    : file_(std::move(file)), capacity_(capacity == 0 ? 1 : capacity), thread_([this] { run(); }) {}

AsyncLogWriter::~AsyncLogWriter() { stop(); }

bool AsyncLogWriter::enqueue(std::string_view line) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || queue_.size() >= capacity_) {
            dropped_.fetch_add(1);
            return false;
        }
        queue_.emplace_back(line);
        ++enqueued_;
    }
    wake_.notify_one();
    return true;
}

void AsyncLogWriter::flush() {
    std::unique_lock lock(mutex_);
    const std::uint64_t target = enqueued_;
    drained_.wait(lock, [&] { return written_ >= target || finished_; });
}

void AsyncLogWriter::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    // stop() is called by the owner only (module stop or destructor), never concurrently.
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void AsyncLogWriter::run() {
    std::vector<std::string> batch;
    std::string chunk;
    for (;;) {
        std::uint64_t drops = 0;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty() && stopping_) break;
            batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
            queue_.clear();
            const std::uint64_t total = dropped_.load();
            drops = total - reportedDrops_;
            reportedDrops_ = total;
        }
        // One write(2) per batch: cheap, and lines stay whole and in order.
        chunk.clear();
        if (drops > 0) chunk += droppedLinesNotice(drops);
        for (const std::string& line : batch) chunk += line;
        file_->write(chunk);
        {
            std::lock_guard lock(mutex_);
            written_ += batch.size();
        }
        batch.clear();
        drained_.notify_all();
    }
    {
        std::lock_guard lock(mutex_);
        finished_ = true;
    }
    drained_.notify_all();
}

}  // namespace cpa::logs
