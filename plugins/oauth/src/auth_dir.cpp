#include "auth_dir.hpp"

#include <cpa/sdk/text.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <random>
#include <string>
#include <stdexcept>

namespace cpa::oauth {

namespace {

std::string errnoText(int err) { return std::strerror(err); }

// Closes a descriptor on scope exit.
struct Fd {
    int fd{-1};
    explicit Fd(int f) : fd(f) {}
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
};

std::int64_t mtimeNs(const struct stat& st) {
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
}

constexpr std::string_view kTempMarker = ".tmp-";

std::string tempName(std::string_view name) {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    return "." + std::string(name) + std::string(kTempMarker) + std::to_string(::getpid()) + "-" +
           std::to_string(counter++) + "-" + std::to_string(rd());
}

bool allDigits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The writer's pid when `name` is exactly what tempName() makes, else 0.
pid_t tempWriterPid(std::string_view name) {
    if (name.size() < 2 || name.front() != '.') return 0;
    const auto marker = name.rfind(kTempMarker);
    if (marker == std::string_view::npos || marker < 2) return 0;
    std::string_view tail = name.substr(marker + kTempMarker.size());  // <pid>-<n>-<random>
    const auto d1 = tail.find('-');
    const auto d2 = d1 == std::string_view::npos ? d1 : tail.find('-', d1 + 1);
    if (d2 == std::string_view::npos) return 0;
    const std::string_view pid = tail.substr(0, d1);
    if (!allDigits(pid) || pid.size() > 9 || !allDigits(tail.substr(d1 + 1, d2 - d1 - 1)) ||
        !allDigits(tail.substr(d2 + 1))) {
        return 0;
    }
    return static_cast<pid_t>(std::stol(std::string(pid)));
}

// Another live process may still be writing its temp file (a second server on
// the same directory); our own pid is a previous life (a container restart).
bool writerAlive(pid_t pid) { return pid != ::getpid() && (::kill(pid, 0) == 0 || errno == EPERM); }

}  // namespace

bool isSafeName(std::string_view raw) {
    const std::string name = sdk::trimAscii(raw);
    if (name.empty() || name == "." || name == "..") return false;
    if (name.size() > NAME_MAX) return false;
    return name.find_first_of(std::string_view("/\\\0", 3)) == std::string::npos;
}

bool hasJsonSuffix(std::string_view name) {
    if (name.size() < 5) return false;
    std::string tail(name.substr(name.size() - 5));
    std::transform(tail.begin(), tail.end(), tail.begin(), [](unsigned char c) { return std::tolower(c); });
    return tail == ".json";
}

int AuthDir::openDir() const {
    const int fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("open " + dir_.string() + ": " + errnoText(errno));
    return fd;
}

void AuthDir::ensureExists() const {
    std::error_code ec;
    if (std::filesystem::is_directory(dir_, ec)) return;
    std::filesystem::create_directories(dir_, ec);
    if (ec) throw std::runtime_error("create auth dir " + dir_.string() + ": " + ec.message());
    ::chmod(dir_.c_str(), 0700);
}

std::vector<FileInfo> AuthDir::listJson() const {
    Fd dfd(openDir());
    DIR* d = ::fdopendir(::dup(dfd.fd));
    if (!d) throw std::runtime_error("read " + dir_.string() + ": " + errnoText(errno));
    std::vector<FileInfo> out;
    while (dirent* e = ::readdir(d)) {
        const std::string name = e->d_name;
        if (name.empty() || name[0] == '.' || !hasJsonSuffix(name)) continue;
        struct stat st {};
        if (::fstatat(dfd.fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
        out.push_back({name, static_cast<std::int64_t>(st.st_size), mtimeNs(st)});
    }
    ::closedir(d);
    std::sort(out.begin(), out.end(), [](const FileInfo& a, const FileInfo& b) { return a.name < b.name; });
    return out;
}

ReadResult AuthDir::read(std::string_view name) const {
    ReadResult r;
    if (!isSafeName(name)) {
        r.error = FileError::NotFound;
        return r;
    }
    Fd dfd(openDir());
    const std::string n(name);
    Fd fd(::openat(dfd.fd, n.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (fd.fd < 0) {
        const int err = errno;
        r.error = err == ENOENT ? FileError::NotFound : (err == ELOOP ? FileError::NotRegular : FileError::Other);
        r.message = errnoText(err);
        return r;
    }
    struct stat st {};
    if (::fstat(fd.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        r.error = FileError::NotRegular;
        r.message = "not a regular file";
        return r;
    }
    r.info = {n, static_cast<std::int64_t>(st.st_size), mtimeNs(st)};
    char buf[65536];
    for (;;) {
        const ssize_t got = ::read(fd.fd, buf, sizeof buf);
        if (got < 0) {
            if (errno == EINTR) continue;
            r.error = FileError::Other;
            r.message = errnoText(errno);
            return r;
        }
        if (got == 0) break;
        r.content.append(buf, static_cast<std::size_t>(got));
    }
    return r;
}

std::optional<FileInfo> AuthDir::stat(std::string_view name) const {
    if (!isSafeName(name)) return std::nullopt;
    const int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return std::nullopt;
    Fd guard(dfd);
    struct stat st {};
    const std::string n(name);
    if (::fstatat(dfd, n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    return FileInfo{n, static_cast<std::int64_t>(st.st_size), mtimeNs(st)};
}

void AuthDir::writeAtomic(std::string_view name, std::string_view content) const {
    if (!isSafeName(name)) throw std::runtime_error("invalid name");
    Fd dfd(openDir());
    {
        // rename would replace a symlink (or empty directory) of that name;
        // like every other operation, treat it as not ours to touch.
        struct stat st {};
        const std::string n(name);
        if (::fstatat(dfd.fd, n.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode)) {
            throw NotRegularFile("not a regular file");
        }
    }
    const std::string tmp = tempName(name);
    const int fd = ::openat(dfd.fd, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("create temp file: " + errnoText(errno));
    auto fail = [&](const std::string& what) {
        const int err = errno;
        ::close(fd);
        ::unlinkat(dfd.fd, tmp.c_str(), 0);
        throw std::runtime_error(what + ": " + errnoText(err));
    };
    ::fchmod(fd, 0600);  // independent of the umask
    for (std::size_t off = 0; off < content.size();) {
        const ssize_t n = ::write(fd, content.data() + off, content.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write");
        }
        off += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) fail("fsync");
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlinkat(dfd.fd, tmp.c_str(), 0);
        throw std::runtime_error("close: " + errnoText(err));
    }
    // rename replaces a symlink named `name` itself, never its target.
    const std::string n(name);
    if (::renameat(dfd.fd, tmp.c_str(), dfd.fd, n.c_str()) != 0) {
        const int err = errno;
        ::unlinkat(dfd.fd, tmp.c_str(), 0);
        throw std::runtime_error("rename: " + errnoText(err));
    }
    // The new name is durable only once the directory is: an answer sent
    // before this could be lost to a crash.
    if (::fsync(dfd.fd) != 0) throw std::runtime_error("fsync directory: " + errnoText(errno));
}

std::vector<std::string> AuthDir::removeStaleTemps() const {
    Fd dfd(openDir());
    DIR* d = ::fdopendir(::dup(dfd.fd));
    if (!d) throw std::runtime_error("read " + dir_.string() + ": " + errnoText(errno));
    std::vector<std::string> stale;
    while (dirent* e = ::readdir(d)) {
        const std::string name = e->d_name;
        const pid_t pid = tempWriterPid(name);
        if (pid <= 0 || writerAlive(pid)) continue;
        struct stat st {};
        if (::fstatat(dfd.fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
        stale.push_back(name);
    }
    ::closedir(d);
    std::vector<std::string> removed;
    for (const std::string& name : stale) {
        // unlinkat removes the entry itself; a symlink would never get here.
        if (::unlinkat(dfd.fd, name.c_str(), 0) == 0) removed.push_back(name);
    }
    if (!removed.empty()) ::fsync(dfd.fd);
    return removed;
}

FileError AuthDir::remove(std::string_view name, std::string* message) const {
    if (!isSafeName(name)) return FileError::NotFound;
    Fd dfd(openDir());
    const std::string n(name);
    struct stat st {};
    if (::fstatat(dfd.fd, n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        const int err = errno;
        if (message) *message = errnoText(err);
        return err == ENOENT ? FileError::NotFound : FileError::Other;
    }
    if (!S_ISREG(st.st_mode)) return FileError::NotRegular;
    if (::unlinkat(dfd.fd, n.c_str(), 0) != 0) {
        const int err = errno;
        if (message) *message = errnoText(err);
        return err == ENOENT ? FileError::NotFound : FileError::Other;
    }
    if (::fsync(dfd.fd) != 0) {
        if (message) *message = errnoText(errno);
        return FileError::Other;  // removed, but not yet durably
    }
    return FileError::None;
}

}  // namespace cpa::oauth
