#pragma once
#include <filesystem>
#include <string>

namespace cpa::test {

/// A fresh directory under $TMPDIR (or /tmp), removed with its content on
/// destruction unless CPA_KEEP_TEST_DIRS is set (for post-mortems).
class TempDir {
public:
    explicit TempDir(const std::string& prefix = "cpa-test");
    ~TempDir();
    const std::filesystem::path& path() const noexcept { return path_; }

    /// Writes `text` to `relative` (parents created); returns the full path.
    std::filesystem::path write(const std::filesystem::path& relative, const std::string& text) const;

    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

private:
    std::filesystem::path path_;
};

/// Whole file content; "" when it cannot be read.
std::string readFile(const std::filesystem::path& path);

}  // namespace cpa::test
