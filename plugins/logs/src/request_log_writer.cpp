#include "request_log_writer.hpp"

#include "request_log_format.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace cpa::logs {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kErrorOnlyBodyLimit = 1024 * 1024;

std::string headerValue(const sdk::Value& record, std::string_view name) {
    const sdk::Value* list = record.find("request_headers");
    if (!list || !list->isArray()) return {};
    for (const sdk::Value& h : list->asArray()) {
        if (!h.isArray() || h.size() != 2 || !h.asArray()[0].isString()) continue;
        const std::string& n = h.asArray()[0].asString();
        if (n.size() == name.size() &&
            std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            })) {
            return h.asArray()[1].stringOr("");
        }
    }
    return {};
}

bool writeWhole(const fs::path& path, const std::string& content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) return false;
    std::string_view rest = content;
    while (!rest.empty()) {
        const ssize_t n = ::write(fd, rest.data(), rest.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            ::close(fd);
            return false;
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    return ::close(fd) == 0;
}

}  // namespace

std::size_t enforceErrorLogRetention(const fs::path& dir, std::int64_t keep) {
    if (keep <= 0) return 0;
    std::vector<std::pair<fs::file_time_type, fs::path>> files;
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
        std::error_code fe;
        const std::string name = e.path().filename().string();
        if (name.rfind("error-", 0) != 0 || name.size() < 4 || name.compare(name.size() - 4, 4, ".log") != 0) continue;
        if (!e.is_regular_file(fe)) continue;
        const auto t = e.last_write_time(fe);
        if (!fe) files.emplace_back(t, e.path());
    }
    if (files.size() <= static_cast<std::size_t>(keep)) return 0;
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::size_t removed = 0;
    for (std::size_t i = static_cast<std::size_t>(keep); i < files.size(); ++i) {
        std::error_code re;
        if (fs::remove(files[i].second, re)) ++removed;
    }
    return removed;
}

RequestLogWriter::RequestLogWriter(fs::path dir, std::string version, std::size_t capacity,
                                   std::function<void(const std::string&)> onError)
    : dir_(std::move(dir)),
      version_(std::move(version)),
      capacity_(capacity == 0 ? 1 : capacity),
      onError_(std::move(onError)),
      thread_([this] { run(); }) {}

RequestLogWriter::~RequestLogWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

bool RequestLogWriter::enqueue(RequestLogJob job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || queue_.size() >= capacity_) {
            dropped_.fetch_add(1);
            return false;
        }
        queue_.push_back(std::move(job));
    }
    wake_.notify_one();
    return true;
}

void RequestLogWriter::flush() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return (queue_.empty() && !busy_) || stopping_; });
}

void RequestLogWriter::run() {
    for (;;) {
        RequestLogJob job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) break;
            job = std::move(queue_.front());
            queue_.pop_front();
            busy_ = true;
        }
        try {
            writeNow(job);
        } catch (const std::exception& e) {
            if (onError_) onError_(std::string("request log not written: ") + e.what());
        }
        {
            std::lock_guard lock(mutex_);
            busy_ = false;
        }
        idle_.notify_all();
    }
    idle_.notify_all();
}

std::string RequestLogWriter::writeNow(const RequestLogJob& job) {
    const sdk::Value& record = job.record;
    if (!writesRecord(record, job.full)) return {};

    sdk::Value copy;
    const sdk::Value* toRender = &record;
    if (!job.full) {
        // Error-only mode keeps only small, non-multipart bodies (logs.md §5.4).
        const sdk::Value* body = record.find("request_body");
        const std::string type = headerValue(record, "Content-Type");
        if (body && body->isString() &&
            (body->asString().size() > kErrorOnlyBodyLimit || type.find("multipart/form-data") != std::string::npos)) {
            copy = record;
            copy.set("request_body", "");
            toRender = &copy;
        }
    }
    std::string id = record.find("request_id") ? record.find("request_id")->stringOr("") : "";
    if (id.empty() || id.find_first_of("/\\") != std::string::npos) id = std::to_string(++sequence_);
    const std::string path = record.find("path") ? record.find("path")->stringOr("/") : "/";
    const std::string name = requestLogFileName(path, std::chrono::system_clock::now(), id, !job.full);

    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (!writeWhole(dir_ / name, renderRequestLog(*toRender, version_, job.full))) {
        if (onError_) onError_("failed to write request log " + name);
        return {};
    }
    if (!job.full) enforceErrorLogRetention(dir_, job.maxErrorFiles);
    return name;
}

std::shared_ptr<void> subscribeRequestLogs(sdk::ModuleContext& ctx, std::shared_ptr<RequestLogWriter> writer,
                                           bool full) {
    sdk::ModuleContext* context = &ctx;
    const auto topic = full ? sdk::kTopicRequestCompleted : sdk::kTopicRequestFailed;
    // The listener holds the writer itself: a delivery racing the module's stop() stays valid.
    return ctx.events().subscribe(std::string(topic), [context, writer, full](const sdk::Value& r) {
        if (!r.isObject() || !capturesRequest(r)) return;
        const sdk::SnapshotPtr snap = context->config().snapshot();
        RequestLogJob job;
        job.full = snap && snap->getBool("request-log", false);
        if (job.full != full || !writesRecord(r, job.full)) return;
        const std::int64_t keep = snap ? snap->getInt("error-logs-max-files", 10) : 10;
        job.maxErrorFiles = keep < 0 ? 10 : keep;
        job.record = r;
        writer->enqueue(std::move(job));
    });
}

}  // namespace cpa::logs
