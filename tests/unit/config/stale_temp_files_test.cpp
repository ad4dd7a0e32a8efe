// Start-up removes the temp files a crashed write left beside config.yaml,
// and nothing else.
#include "config/atomic_file.hpp"
#include "config/file_config_store.hpp"
#include "config_test_support.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace cpa::core {
namespace {

using test::CapturingLogger;
using test::TempDir;
using test::writeText;

bool exists(const std::string& p) {
    std::error_code ec;
    return std::filesystem::symlink_status(p, ec).type() != std::filesystem::file_type::not_found;
}

TEST(StaleTempFiles, StartUpRemovesOnlyItsOwnRegularTempFiles) {
    TempDir dir;
    TempDir elsewhere;
    CapturingLogger log;
    writeText(dir.file("config.yaml"), "port: 1\n");
    writeText(dir.file(".config.yaml.tmp-0a1b2c3d4e5f"), "secret-key: $2a$10$leaked\n");
    writeText(dir.file(".config.yaml.tmp-notours"), "kept: not the hex pattern\n");
    writeText(dir.file(".other.yaml.tmp-0a1b2c3d4e5f"), "kept: another file's\n");
    writeText(elsewhere.file("target"), "kept: a symlink's target\n");
    ASSERT_EQ(::symlink(elsewhere.file("target").c_str(), dir.file(".config.yaml.tmp-aaaaaaaaaaaa").c_str()), 0);

    auto store = FileConfigStore::open(dir.file("config.yaml"), log);

    EXPECT_FALSE(exists(dir.file(".config.yaml.tmp-0a1b2c3d4e5f")));
    EXPECT_TRUE(exists(dir.file(".config.yaml.tmp-notours")));
    EXPECT_TRUE(exists(dir.file(".other.yaml.tmp-0a1b2c3d4e5f")));
    EXPECT_TRUE(exists(dir.file(".config.yaml.tmp-aaaaaaaaaaaa"))) << "a symlink is neither removed";
    EXPECT_EQ(test::readText(elsewhere.file("target")), "kept: a symlink's target\n") << "nor followed";
    EXPECT_EQ(store->snapshot()->getInt("port", 0), 1);
}

TEST(StaleTempFiles, ADirectoryWithThePatternIsLeftAlone) {
    TempDir dir;
    std::filesystem::create_directory(dir.file(".config.yaml.tmp-abcdef"));
    writeText(dir.file("config.yaml"), "port: 1\n");
    EXPECT_EQ(removeStaleTempFiles(dir.file("config.yaml")), 0u);
    EXPECT_TRUE(exists(dir.file(".config.yaml.tmp-abcdef")));
}

}  // namespace
}  // namespace cpa::core
