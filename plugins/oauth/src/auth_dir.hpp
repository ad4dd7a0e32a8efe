#pragma once
// Every file operation on auth-dir goes through here (D12): names are single
// path elements checked by isSafeName, and each call works relative to a
// descriptor of the directory with O_NOFOLLOW, so neither "../x", an absolute
// path nor a symlink planted in the directory reaches anything outside it.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::oauth {

/// auth-files.md §1.4 plus what a POSIX file name cannot hold: after trimming
/// the name is non-empty, has no '/', '\\' or NUL, is not "." or "..", and
/// fits NAME_MAX (255 bytes).
bool isSafeName(std::string_view name);

/// Case-insensitive ".json" suffix.
bool hasJsonSuffix(std::string_view name);

struct FileInfo {
    std::string name;
    std::int64_t size{};
    std::int64_t mtimeNs{};  ///< nanoseconds since the Unix epoch
};

enum class FileError { None, NotFound, NotRegular, Other };

/// writeAtomic() refused: `name` exists and is not a regular file (a symlink,
/// a directory…). Every operation treats such a name as absent.
struct NotRegularFile : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct ReadResult {
    FileError error{FileError::None};
    std::string message;  ///< strerror text for Other
    std::string content;
    FileInfo info;
};

class AuthDir {
public:
    explicit AuthDir(std::filesystem::path dir) : dir_(std::move(dir)) {}
    const std::filesystem::path& path() const noexcept { return dir_; }

    /// Creates the directory (mode 0700) when missing; throws std::runtime_error.
    void ensureExists() const;
    /// Regular files directly inside whose name ends in .json, sorted by name;
    /// symlinks and sub-directories are skipped. Throws std::runtime_error.
    std::vector<FileInfo> listJson() const;
    /// Reads a regular file (a symlink is NotRegular). `name` must be safe.
    ReadResult read(std::string_view name) const;
    /// Metadata of a regular file without following symlinks.
    std::optional<FileInfo> stat(std::string_view name) const;
    /// Temp file in the directory, fsync, rename over `name`, fsync the
    /// directory; mode 0600. Throws NotRegularFile when `name` is a symlink
    /// or other non-regular entry (left as it is), std::runtime_error with
    /// the reason on any other failure.
    void writeAtomic(std::string_view name, std::string_view content) const;
    /// Removes the temp files writeAtomic() leaves when the process dies
    /// mid-write (".<name>.tmp-<pid>-<n>-<random>", credential contents):
    /// regular files of that pattern only, never following a symlink, and
    /// none whose writer process is still alive. Returns the names removed.
    std::vector<std::string> removeStaleTemps() const;
    /// Removes a regular file (never a directory; a symlink only as a link).
    FileError remove(std::string_view name, std::string* message = nullptr) const;

private:
    int openDir() const;  ///< O_DIRECTORY descriptor; throws std::runtime_error
    std::filesystem::path dir_;
};

}  // namespace cpa::oauth
