#include "config/atomic_file.hpp"
#include "config/file_config_store.hpp"
#include "config/secret_hash.hpp"
#include "config_test_support.hpp"

#include <cpa/sdk/errors.hpp>

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>

#include <chrono>
#include <condition_variable>
#include <thread>

namespace cpa::core {
namespace {

using namespace std::chrono_literals;
using sdk::Value;
using test::CapturingLogger;
using test::readText;
using test::TempDir;
using test::writeText;

/// Records published snapshots; waits for one matching a predicate.
class Recorder {
public:
    void operator()(const sdk::SnapshotPtr& s) {
        std::lock_guard lock(mutex_);
        seen_.push_back(s);
        cv_.notify_all();
    }
    template <class Pred>
    sdk::SnapshotPtr waitFor(Pred pred, std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        sdk::SnapshotPtr found;
        cv_.wait_for(lock, timeout, [&] {
            for (const auto& s : seen_) {
                if (pred(*s)) {
                    found = s;
                    return true;
                }
            }
            return false;
        });
        return found;
    }
    std::size_t count() const {
        std::lock_guard lock(mutex_);
        return seen_.size();
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<sdk::SnapshotPtr> seen_;
};

TEST(ConfigWatch, ExternalEditIsPublishedWithinASecond) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "port: 1\ndebug: false\n");
    auto store = FileConfigStore::open(path, log);
    Recorder rec;
    auto sub = store->subscribe([&](const sdk::SnapshotPtr& s) { rec(s); });
    store->startWatching();

    const auto start = std::chrono::steady_clock::now();
    writeText(path, "port: 1\ndebug: true\n");  // in place, like an editor
    auto snap = rec.waitFor([](const sdk::ConfigSnapshot& s) { return s.getBool("debug", false); }, 1000ms);
    ASSERT_TRUE(snap) << log.all();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
    EXPECT_EQ(store->snapshot(), snap);
    EXPECT_EQ(snap->text(), "port: 1\ndebug: true\n");

    // An atomic replace (new inode) is seen too: the directory is watched.
    writeFileAtomically(path, "port: 2\ndebug: true\n");
    ASSERT_TRUE(rec.waitFor([](const sdk::ConfigSnapshot& s) { return s.getInt("port", 0) == 2; }, 1000ms));
    store->stopWatching();
}

TEST(ConfigWatch, InvalidExternalEditIsLoggedAndIgnored) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "port: 1\n");
    auto store = FileConfigStore::open(path, log);
    Recorder rec;
    auto sub = store->subscribe([&](const sdk::SnapshotPtr& s) { rec(s); });
    store->startWatching();
    auto before = store->snapshot();

    writeText(path, "port: 2\nhost: [unclosed\n");
    for (int i = 0; i < 40 && !log.contains(sdk::LogLevel::Error, "line 3"); ++i) std::this_thread::sleep_for(25ms);
    EXPECT_TRUE(log.contains(sdk::LogLevel::Error, "line 3, column")) << log.all();
    EXPECT_TRUE(log.contains(sdk::LogLevel::Error, path));
    EXPECT_EQ(store->snapshot(), before);
    EXPECT_EQ(rec.count(), 0u);

    writeText(path, "");  // an editor's truncate step is ignored silently
    std::this_thread::sleep_for(400ms);
    EXPECT_EQ(store->snapshot(), before);

    writeText(path, "port: 5\n");  // recovery
    ASSERT_TRUE(rec.waitFor([](const sdk::ConfigSnapshot& s) { return s.getInt("port", 0) == 5; }, 1000ms));
}

TEST(ConfigWatch, OwnWritesDoNotCauseAReload) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "port: 1\n");
    auto store = FileConfigStore::open(path, log);
    Recorder rec;
    auto sub = store->subscribe([&](const sdk::SnapshotPtr& s) { rec(s); });
    store->startWatching();
    auto snap = store->update([](Value& root) { root.set("port", Value(2)); });
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(rec.count(), 1u);
    EXPECT_EQ(store->snapshot(), snap);
    EXPECT_FALSE(log.contains(sdk::LogLevel::Info, "reloaded")) << log.all();
    store->stopWatching();
    store->stopWatching();  // idempotent
}

bool anyFileContains(const std::string& dir, const std::string& needle) {
    for (const auto& name : test::listDir(dir)) {
        if (readText(dir + "/" + name).find(needle) != std::string::npos) return true;
    }
    return false;
}

TEST(ConfigWatch, WriteRightAfterAnExternalEditBuildsOnIt) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "debug: false\nport: 1\n");
    auto store = FileConfigStore::open(path, log);
    store->startWatching();
    // No wait: the watcher's debounce has not fired when the write comes in.
    writeText(path, "# operator note\ndebug: false\nport: 2\n");
    store->update([](Value& root) { root.set("debug", Value(true)); });
    EXPECT_EQ(readText(path), "# operator note\ndebug: true\nport: 2\n");
    EXPECT_EQ(store->snapshot()->getInt("port", 0), 2);
    EXPECT_TRUE(store->snapshot()->getBool("debug", false));
}

TEST(ConfigWatch, InvalidPendingExternalEditRefusesTheWrite) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "debug: false\n");
    auto store = FileConfigStore::open(path, log);
    writeText(path, "debug: [unclosed\n");
    try {
        store->update([](Value& root) { root.set("debug", Value(true)); });
        FAIL() << "the write must not overwrite the operator's text";
    } catch (const sdk::HttpError& e) {
        EXPECT_EQ(e.status(), 500);
        EXPECT_NE(std::string(e.what()).find("edited on disk and is invalid"), std::string::npos);
    }
    EXPECT_EQ(readText(path), "debug: [unclosed\n");
    EXPECT_FALSE(store->snapshot()->getBool("debug", true));
    writeText(path, "debug: false\n# fixed\n");
    store->update([](Value& root) { root.set("debug", Value(true)); });
    EXPECT_EQ(readText(path), "debug: true\n# fixed\n");
}

TEST(ConfigSecret, PlaintextSecretIsHashedOnDiskKeepingTheRest) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    const std::string plain = "my-plain-Secret-42";
    writeText(path, "# mgmt\nremote-management:\n  allow-remote: false   # local only\n  secret-key: \"" + plain +
                        "\"  # will be hashed\nport: 8317\n");
    auto store = FileConfigStore::open(path, log);
    const std::string hash = store->snapshot()->getString("remote-management.secret-key", "");
    ASSERT_TRUE(looksLikeBcrypt(hash)) << hash;
    EXPECT_TRUE(bcryptVerify(plain, hash));
    EXPECT_EQ(readText(path), "# mgmt\nremote-management:\n  allow-remote: false   # local only\n  secret-key: \"" +
                                  hash + "\"  # will be hashed\nport: 8317\n");
    EXPECT_EQ(store->snapshot()->text(), readText(path));
    EXPECT_FALSE(anyFileContains(dir.path(), plain));
    EXPECT_EQ(test::listDir(dir.path()), std::vector<std::string>{"config.yaml"});
    EXPECT_FALSE(log.all().find(plain) != std::string::npos) << "never log the secret";

    // A bcrypt value is left alone on the next load.
    auto again = FileConfigStore::open(path, log);
    EXPECT_EQ(again->snapshot()->getString("remote-management.secret-key", ""), hash);
}

TEST(ConfigSecret, PlainNumericSecretIsHashedAsWritten) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "remote-management:\n  secret-key: 00123\n");
    auto store = FileConfigStore::open(path, log);
    const std::string hash = store->snapshot()->getString("remote-management.secret-key", "");
    EXPECT_TRUE(bcryptVerify("00123", hash));
    EXPECT_EQ(readText(path), "remote-management:\n  secret-key: " + hash + "\n");
}

TEST(ConfigSecret, OverlongSecretRefusesToLoad) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "remote-management:\n  secret-key: " + std::string(73, 'a') + "\n");
    try {
        FileConfigStore::open(path, log);
        FAIL();
    } catch (const ConfigLoadError& e) {
        EXPECT_STREQ(e.what(), "failed to hash remote management key: secret longer than 72 bytes");
    }
}

TEST(ConfigSecret, ReplaceTextAndReloadNeverPutPlaintextOnDisk) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "port: 1\n");
    auto store = FileConfigStore::open(path, log);
    const std::string plain = "replace-text-secret";
    auto snap = store->replaceText("port: 2\nremote-management:\n  secret-key: '" + plain + "'\n");
    const std::string hash = snap->getString("remote-management.secret-key", "");
    EXPECT_TRUE(bcryptVerify(plain, hash));
    EXPECT_EQ(readText(path), "port: 2\nremote-management:\n  secret-key: '" + hash + "'\n");
    EXPECT_FALSE(anyFileContains(dir.path(), plain));

    // An external edit with a plaintext secret is hashed by the reload and written back.
    Recorder rec;
    auto sub = store->subscribe([&](const sdk::SnapshotPtr& s) { rec(s); });
    store->startWatching();
    const std::string plain2 = "external-secret";
    writeText(path, "port: 3\nremote-management:\n  secret-key: " + plain2 + "\n");
    auto reloaded = rec.waitFor([](const sdk::ConfigSnapshot& s) { return s.getInt("port", 0) == 3; }, 1000ms);
    ASSERT_TRUE(reloaded) << log.all();
    const std::string hash2 = reloaded->getString("remote-management.secret-key", "");
    EXPECT_TRUE(bcryptVerify(plain2, hash2));
    EXPECT_EQ(readText(path), "port: 3\nremote-management:\n  secret-key: " + hash2 + "\n");
    std::this_thread::sleep_for(400ms);  // the write-back itself must not trigger another reload
    EXPECT_EQ(rec.count(), 1u);
    EXPECT_EQ(test::listDir(dir.path()), std::vector<std::string>{"config.yaml"});
    store->stopWatching();
}

TEST(ConfigSecret, FailedWriteBackKeepsTheInMemoryHash) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    const std::string plain = "plain-for-writeback";
    const std::string text = "remote-management:\n  secret-key: " + plain + "\n";
    writeText(path, text);
    // RLIMIT_FSIZE lets the read succeed and makes the write-back fail (EFBIG).
    rlimit old{};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
    auto oldHandler = ::signal(SIGXFSZ, SIG_IGN);
    rlimit small = old;
    small.rlim_cur = 16;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
    std::shared_ptr<FileConfigStore> store;
    try {
        store = FileConfigStore::open(path, log);
    } catch (...) {
    }
    ::setrlimit(RLIMIT_FSIZE, &old);
    ::signal(SIGXFSZ, oldHandler);
    ASSERT_TRUE(store);
    const std::string hash = store->snapshot()->getString("remote-management.secret-key", "");
    EXPECT_TRUE(bcryptVerify(plain, hash));
    EXPECT_TRUE(log.contains(sdk::LogLevel::Warning, "could not write the hashed")) << log.all();
    EXPECT_EQ(readText(path), text);
    EXPECT_EQ(store->snapshot()->text().find(plain), std::string::npos) << "the served text holds the hash";
    EXPECT_EQ(test::listDir(dir.path()), std::vector<std::string>{"config.yaml"});
    // The next successful write replaces the plaintext on disk.
    store->update([](Value& root) { root.set("port", Value(1)); });
    EXPECT_FALSE(anyFileContains(dir.path(), plain));
}

}  // namespace
}  // namespace cpa::core
