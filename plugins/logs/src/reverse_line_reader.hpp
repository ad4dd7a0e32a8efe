#pragma once
// Reads a file's lines last to first, so the tail of a huge log costs only
// what is returned. Lines split like Go's bufio.Scanner: on '\n', a trailing
// '\r' removed, no empty line after a final '\n'.
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <sys/types.h>

namespace cpa::logs {

inline constexpr std::size_t kMaxLineBytes = 8u * 1024 * 1024;

class ReverseLineReader {
public:
    /// Throws std::system_error when the file cannot be opened.
    explicit ReverseLineReader(const std::filesystem::path& path);
    ~ReverseLineReader();
    /// The previous line into `line`; false at the start of the file. Throws
    /// std::runtime_error on a read error or a line over kMaxLineBytes.
    bool previous(std::string& line);

    ReverseLineReader(const ReverseLineReader&) = delete;
    ReverseLineReader& operator=(const ReverseLineReader&) = delete;

private:
    void readMore();

    int fd_ = -1;
    off_t pos_ = 0;        ///< file offset of buf_[0]
    std::string buf_;      ///< unconsumed bytes [pos_, pos_ + end_)
    std::size_t end_ = 0;
    bool done_ = false;
};

}  // namespace cpa::logs
