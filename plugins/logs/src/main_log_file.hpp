#pragma once
// main.log with size rotation (logs.md §2.4) and truncation through the same
// handle (D6): one append-mode descriptor, so a truncate never leaves a hole.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

namespace cpa::logs {

inline constexpr std::uint64_t kMainLogMaxBytes = 10ull * 1024 * 1024;

/// "<stem>-YYYY-MM-DDTHH-MM-SS.mmm.log" for a rotation at `when` (UTC).
std::string rotatedBackupName(std::chrono::system_clock::time_point when, std::string_view stem = "main");

class MainLogFile {
public:
    /// Opens (creating with 0644, and the directory with 0755) <dir>/<stem>.log in
    /// append mode. Throws std::system_error when that fails. The audit log
    /// (stem "audit") rotates the same way.
    explicit MainLogFile(std::filesystem::path dir, std::uint64_t maxBytes = kMainLogMaxBytes,
                         std::string stem = "main");
    ~MainLogFile();

    /// Appends `data`; rotates first when the file is non-empty and `data`
    /// would push it past the limit. Returns false when the write failed.
    bool write(std::string_view data);
    /// Empties main.log through the open handle and resets the size counter.
    /// Throws std::system_error on failure.
    void truncate();
    std::uint64_t size() const;
    const std::filesystem::path& path() const noexcept { return path_; }

    MainLogFile(const MainLogFile&) = delete;
    MainLogFile& operator=(const MainLogFile&) = delete;

private:
    void open();
    void rotate();

    std::filesystem::path dir_;
    std::string stem_;
    std::filesystem::path path_;
    std::uint64_t maxBytes_;
    mutable std::mutex mutex_;
    int fd_ = -1;
    std::uint64_t size_ = 0;
};

}  // namespace cpa::logs
