#include "config/atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <cstring>
#include <string_view>
#include <system_error>

namespace cpa::core {
namespace {

std::string osError(const std::string& what, const std::string& path, int err) {
    return what + " " + path + ": " + std::strerror(err);
}

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() { close(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    int close() {
        int rc = 0;
        if (fd_ >= 0) rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }

private:
    int fd_;
};

std::string dirOf(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::string baseOf(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string tempPrefixFor(const std::string& path) { return "." + baseOf(path) + ".tmp-"; }

std::string tempNameFor(const std::string& path) {
    unsigned char rnd[6] = {};
    if (::getrandom(rnd, sizeof rnd, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof rnd)) {
        const auto t = static_cast<unsigned long>(::getpid()) ^ static_cast<unsigned long>(::time(nullptr));
        std::memcpy(rnd, &t, sizeof rnd < sizeof t ? sizeof rnd : sizeof t);
    }
    char hex[sizeof rnd * 2 + 1];
    for (std::size_t i = 0; i < sizeof rnd; ++i) std::snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
    return dirOf(path) + "/" + tempPrefixFor(path) + hex;
}

}  // namespace

std::string readWholeFile(const std::string& path, std::size_t maxBytes) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) throw std::system_error(errno, std::generic_category(), "open " + path);
    std::string out;
    char buf[65536];
    while (out.size() < maxBytes) {
        const ssize_t n = ::read(fd.get(), buf, std::min(sizeof buf, maxBytes - out.size()));
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "read " + path);
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

void writeFileAtomically(const std::string& path, const std::string& content) {
    mode_t mode = 0644;
    struct stat st {};
    const bool exists = ::stat(path.c_str(), &st) == 0;
    if (exists) mode = st.st_mode & 07777;

    const std::string tmp = tempNameFor(path);
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0) throw std::runtime_error(osError("open", tmp, errno));
    auto fail = [&](const std::string& what, int err) {
        fd.close();
        ::unlink(tmp.c_str());
        throw std::runtime_error(osError(what, tmp, err));
    };
    // Explicit mode: the umask must not narrow (or widen) the original's.
    if (::fchmod(fd.get(), mode) != 0) fail("chmod", errno);
    if (exists && (st.st_uid != ::geteuid() || st.st_gid != ::getegid())) {
        [[maybe_unused]] const int ignored = ::fchown(fd.get(), st.st_uid, st.st_gid);  // best effort
    }
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write", errno);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) fail("fsync", errno);
    if (fd.close() != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw std::runtime_error(osError("close", tmp, err));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw std::runtime_error("rename " + tmp + " " + path + ": " + std::strerror(err));
    }
    // The rename is durable only once the directory entry is.
    Fd dir(::open(dirOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() >= 0) ::fsync(dir.get());
}

std::size_t removeStaleTempFiles(const std::string& path) {
    const std::string prefix = tempPrefixFor(path);
    Fd dir(::open(dirOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0) return 0;
    DIR* stream = ::fdopendir(::dup(dir.get()));
    if (stream == nullptr) return 0;
    std::size_t removed = 0;
    while (const dirent* e = ::readdir(stream)) {
        const std::string_view name = e->d_name;
        if (!name.starts_with(prefix) || name.size() == prefix.size()) continue;
        const std::string_view suffix = name.substr(prefix.size());
        if (suffix.find_first_not_of("0123456789abcdef") != std::string_view::npos) continue;
        // lstat semantics relative to the directory fd: a symlink is not a
        // regular file here, so neither it nor its target is touched.
        struct stat st {};
        if (::fstatat(dir.get(), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
        if (::unlinkat(dir.get(), e->d_name, 0) == 0) ++removed;
    }
    ::closedir(stream);
    return removed;
}

}  // namespace cpa::core
