#include "size_cleaner.hpp"

#include <algorithm>
#include <cctype>
#include <system_error>

namespace cpa::logs {

namespace fs = std::filesystem;

namespace {

bool isLogName(std::string name) {
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    auto ends = [&](const std::string& suffix) {
        return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return ends(".log") || ends(".log.gz");
}

struct Candidate {
    fs::path path;
    std::uint64_t size;
    fs::file_time_type mtime;
};

}  // namespace

std::vector<std::string> cleanLogDirectory(const fs::path& dir, std::uint64_t limitBytes, bool protectMainLog,
                                           const std::function<void(const std::string&)>& onError) {
    std::vector<std::string> deleted;
    if (limitBytes == 0) return deleted;
    std::vector<Candidate> files;
    std::uint64_t total = 0;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) return deleted;  // no directory yet: nothing to clean
    for (const fs::directory_entry& e : it) {
        std::error_code fe;
        if (!e.is_regular_file(fe) || e.is_symlink(fe)) continue;
        const std::string name = e.path().filename().string();
        if (!isLogName(name)) continue;
        const auto size = e.file_size(fe);
        if (fe) continue;
        const auto mtime = e.last_write_time(fe);
        if (fe) continue;
        total += size;
        files.push_back({e.path(), size, mtime});
    }
    if (total <= limitBytes) return deleted;
    std::sort(files.begin(), files.end(), [](const Candidate& a, const Candidate& b) { return a.mtime < b.mtime; });
    for (const Candidate& f : files) {
        if (total <= limitBytes) break;
        if (protectMainLog && f.path.filename() == "main.log") continue;
        if (f.path.filename() == "audit.log") continue;  // the live audit trail is never cleaned away
        std::error_code re;
        if (!fs::remove(f.path, re) || re) {
            if (onError) onError("failed to remove " + f.path.filename().string() + ": " + re.message());
            continue;
        }
        total -= f.size;
        deleted.push_back(f.path.filename().string());
    }
    return deleted;
}

PeriodicCleaner::PeriodicCleaner(fs::path dir, std::uint64_t limitBytes, bool protectMainLog,
                                 std::chrono::milliseconds interval, std::function<void(const std::string&)> onError)
    : thread_([this, dir = std::move(dir), limitBytes, protectMainLog, interval, onError = std::move(onError)] {
          std::unique_lock lock(mutex_);
          while (!stopping_) {
              lock.unlock();
              cleanLogDirectory(dir, limitBytes, protectMainLog, onError);
              lock.lock();
              wake_.wait_for(lock, interval, [this] { return stopping_; });
          }
      }) {}

PeriodicCleaner::~PeriodicCleaner() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

}  // namespace cpa::logs
