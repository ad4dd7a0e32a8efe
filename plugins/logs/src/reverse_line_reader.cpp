#include "reverse_line_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cpa::logs {

namespace {
constexpr std::size_t kBlock = 64 * 1024;
}

ReverseLineReader::ReverseLineReader(const std::filesystem::path& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "open");
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
        const int err = errno;
        ::close(fd_);
        throw std::system_error(err, std::generic_category(), "stat");
    }
    pos_ = st.st_size;
    done_ = st.st_size == 0;
    if (done_) return;
    readMore();
    // A final '\n' ends the last line; it does not start an empty one.
    if (end_ > 0 && buf_[end_ - 1] == '\n') --end_;
}

ReverseLineReader::~ReverseLineReader() {
    if (fd_ >= 0) ::close(fd_);
}

void ReverseLineReader::readMore() {
    // Doubling keeps a long line from being re-copied once per block.
    const std::size_t want = std::max(kBlock, end_);
    const std::size_t n = static_cast<std::size_t>(std::min<off_t>(pos_, static_cast<off_t>(want)));
    std::string next(n + end_, '\0');
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = ::pread(fd_, next.data() + got, n - got, pos_ - static_cast<off_t>(n - got));
        if (r < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error(std::strerror(errno));
        }
        if (r == 0) throw std::runtime_error("file shrank while reading");
        got += static_cast<std::size_t>(r);
    }
    std::memcpy(next.data() + n, buf_.data(), end_);
    pos_ -= static_cast<off_t>(n);
    buf_ = std::move(next);
    end_ = buf_.size();
}

bool ReverseLineReader::previous(std::string& line) {
    if (done_) return false;
    for (;;) {
        const char* base = buf_.data();
        const void* hit = end_ > 0 ? ::memrchr(base, '\n', end_) : nullptr;
        if (hit != nullptr) {
            const std::size_t idx = static_cast<std::size_t>(static_cast<const char*>(hit) - base);
            if (end_ - idx - 1 > kMaxLineBytes) throw std::runtime_error("token too long");
            line.assign(base + idx + 1, end_ - idx - 1);
            end_ = idx;
            break;
        }
        if (end_ > kMaxLineBytes) throw std::runtime_error("token too long");
        if (pos_ == 0) {
            line.assign(base, end_);
            end_ = 0;
            done_ = true;
            break;
        }
        readMore();
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
}

}  // namespace cpa::logs
