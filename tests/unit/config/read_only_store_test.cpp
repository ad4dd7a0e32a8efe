// The read-only store behind --check-config: a plaintext secret is hashed in
// memory only, stale temp files stay, and writes are refused.
#include "config/file_config_store.hpp"
#include "config_test_support.hpp"

#include <cpa/sdk/errors.hpp>

#include <gtest/gtest.h>

namespace cpa::core {
namespace {

using test::CapturingLogger;
using test::TempDir;

TEST(ReadOnlyStore, NeverWritesTheFileOrItsDirectory) {
    TempDir dir;
    const std::string text = "port: 0\nremote-management:\n  secret-key: \"plain\"\n";
    test::writeText(dir.file("config.yaml"), text);
    test::writeText(dir.file(".config.yaml.tmp-0123456789abcdef"), "stale");
    const auto before = test::listDir(dir.path());
    CapturingLogger log;
    const auto store = FileConfigStore::open(dir.file("config.yaml"), log, FileConfigStore::Mode::ReadOnly);
    EXPECT_EQ(store->snapshot()->getString("remote-management.secret-key", "").rfind("$2", 0), 0u)
        << "hashed in memory";
    EXPECT_THROW(store->update([](sdk::Value& root) { root.set("port", sdk::Value(1)); }), sdk::HttpError);
    EXPECT_THROW(store->replaceText("port: 2\n"), sdk::HttpError);
    EXPECT_EQ(test::readText(dir.file("config.yaml")), text);
    auto after = test::listDir(dir.path());
    std::sort(after.begin(), after.end());
    auto expected = before;
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(after, expected);
}

}  // namespace
}  // namespace cpa::core
