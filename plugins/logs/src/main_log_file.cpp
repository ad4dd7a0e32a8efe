#include "main_log_file.hpp"

#include <cerrno>
#include <ctime>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cpa::logs {

namespace fs = std::filesystem;

std::string rotatedBackupName(std::chrono::system_clock::time_point when, std::string_view stem) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H-%M-%S", &tm);
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(ms % 1000));
    return std::string(stem) + "-" + std::string(buf, n) + frac + ".log";
}

MainLogFile::MainLogFile(fs::path dir, std::uint64_t maxBytes, std::string stem)
    : dir_(std::move(dir)), stem_(std::move(stem)), path_(dir_ / (stem_ + ".log")), maxBytes_(maxBytes) {
    std::error_code ec;
    const bool created = fs::create_directories(dir_, ec);
    if (ec) throw std::system_error(ec, "cannot create log directory " + dir_.string());
    // 0755 for a directory we made; an operator's existing one keeps its mode.
    if (created) fs::permissions(dir_, fs::perms(0755), fs::perm_options::replace, ec);
    open();
    // An existing file at the limit is rotated before the first write (logs.md §2.4).
    if (size_ >= maxBytes_) rotate();
}

MainLogFile::~MainLogFile() {
    if (fd_ >= 0) ::close(fd_);
}

void MainLogFile::open() {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "cannot open " + path_.string());
    struct stat st {};
    size_ = ::fstat(fd_, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

void MainLogFile::rotate() {
    ::close(fd_);
    fd_ = -1;
    fs::path backup = dir_ / rotatedBackupName(std::chrono::system_clock::now(), stem_);
    // Two rotations in one millisecond: wait for a fresh name rather than overwrite.
    for (int i = 0; i < 5 && fs::exists(backup); ++i) {
        ::usleep(1000);
        backup = dir_ / rotatedBackupName(std::chrono::system_clock::now(), stem_);
    }
    ::rename(path_.c_str(), backup.c_str());
    open();
}

bool MainLogFile::write(std::string_view data) {
    std::lock_guard lock(mutex_);
    try {
        if (fd_ < 0) open();
        if (size_ > 0 && size_ + data.size() > maxBytes_) rotate();
    } catch (const std::exception&) {
        return false;
    }
    while (!data.empty()) {
        const ssize_t n = ::write(fd_, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        size_ += static_cast<std::uint64_t>(n);
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

void MainLogFile::truncate() {
    std::lock_guard lock(mutex_);
    if (fd_ < 0) open();
    if (::ftruncate(fd_, 0) != 0) throw std::system_error(errno, std::generic_category(), "truncate");
    size_ = 0;
}

std::uint64_t MainLogFile::size() const {
    std::lock_guard lock(mutex_);
    return size_;
}

}  // namespace cpa::logs
