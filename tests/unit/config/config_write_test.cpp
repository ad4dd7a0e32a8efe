#include "config/config_parse.hpp"
#include "config/file_config_store.hpp"
#include "config_test_support.hpp"

#include <cpa/sdk/errors.hpp>

#include <gtest/gtest.h>

#include <memory>

#include <signal.h>
#include <sys/resource.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <thread>

namespace cpa::core {
namespace {

using sdk::Value;
using test::CapturingLogger;
using test::readText;
using test::TempDir;
using test::writeText;

std::string replaceOnce(std::string s, const std::string& from, const std::string& to) {
    const auto pos = s.find(from);
    if (pos == std::string::npos) throw std::logic_error("pattern not found: " + from);
    return s.replace(pos, from.size(), to);
}

const std::string kOddDocument =
    "# top comment\n"
    "host: \"\"   # bind all\n"
    "port: 8317\n"
    "\n"
    "   # an indented comment\n"
    "api-keys: [k1, \"k2\",   'k3']\n"
    "debug: false  # toggle me\n"
    "\t\n"
    "odd:\n"
    "    deeply:\n"
    "         - x\n"
    "         -   'y'\n"
    "unknown-key: {a: 1, b: [1, 2]}   # keep\n"
    "# comment before quota\n"
    "quota-exceeded:\n"
    "  switch-project: true    # c1\n"
    "  switch-preview-model: true\n"
    "\n"
    "# comment after quota\n"
    "custom-flag: yes-string\n"
    "# trailing comment\n";

TEST(ConfigWrite, HundredBoolTogglesKeepEveryOtherByte) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, kOddDocument);
    auto store = FileConfigStore::open(path, log);
    bool value = false;
    for (int i = 0; i < 100; ++i) {
        value = !value;
        auto snap = store->update([&](Value& root) { root.set("debug", Value(value)); });
        const std::string expected =
            replaceOnce(kOddDocument, "debug: false  # toggle me", std::string("debug: ") + (value ? "true" : "false") +
                                                                    "  # toggle me");
        ASSERT_EQ(readText(path), expected) << "after toggle " << i;
        ASSERT_EQ(snap->text(), expected);
        ASSERT_EQ(snap->getBool("debug", !value), value);
        ASSERT_EQ(snap->generation(), static_cast<std::uint64_t>(i + 2));
    }
    EXPECT_EQ(store->snapshot()->getString("custom-flag", ""), "yes-string");
}

TEST(ConfigWrite, NestedScalarWriteChangesOnlyItsLine) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    const std::string text = "quota-exceeded:\n"
                             "  # why we switch projects\n"
                             "  switch-project: true    # c1\n"
                             "  switch-preview-model: true  # sibling comment\n"
                             "outer:\n"
                             "  inner:\n"
                             "    # deep comment\n"
                             "    level: 'low'   # quoted\n"
                             "    other: 1\n";
    writeText(path, text);
    auto store = FileConfigStore::open(path, log);
    store->update([](Value& root) { root["quota-exceeded"].set("switch-project", Value(false)); });
    std::string expected = replaceOnce(text, "  switch-project: true    # c1\n", "  switch-project: false    # c1\n");
    EXPECT_EQ(readText(path), expected);
    EXPECT_FALSE(store->snapshot()->getBool("quota-exceeded.switch-project", true));

    store->update([](Value& root) { root["outer"]["inner"].set("level", Value("high")); });
    expected = replaceOnce(expected, "    level: 'low'   # quoted\n", "    level: 'high'   # quoted\n");
    EXPECT_EQ(readText(path), expected);

    // Adding a key to a nested mapping still rewrites that block (and reads back).
    store->update([](Value& root) { root["quota-exceeded"].set("new-key", Value(true)); });
    EXPECT_TRUE(store->snapshot()->getBool("quota-exceeded.new-key", false));
    EXPECT_NE(readText(path).find("    level: 'high'   # quoted\n"), std::string::npos);
}

TEST(ConfigWrite, NestedToggleInTheOddDocumentKeepsItsComment) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, kOddDocument);
    auto store = FileConfigStore::open(path, log);
    store->update([](Value& root) { root["quota-exceeded"].set("switch-project", Value(false)); });
    EXPECT_EQ(readText(path),
              replaceOnce(kOddDocument, "  switch-project: true    # c1\n", "  switch-project: false    # c1\n"));
}

TEST(ConfigWrite, UnchangedEditWritesNothing) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, kOddDocument);
    auto store = FileConfigStore::open(path, log);
    auto before = store->snapshot();
    auto after = store->update([](Value& root) { root.set("port", Value(8317)); });
    EXPECT_EQ(before, after);
    EXPECT_EQ(readText(path), kOddDocument);
}

TEST(ConfigWrite, EditExceptionsPropagateAndChangeNothing) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, kOddDocument);
    auto store = FileConfigStore::open(path, log);
    EXPECT_THROW(store->update([](Value& root) {
        root.set("port", Value(1));
        throw sdk::HttpError(400, "nope");
    }),
                 sdk::HttpError);
    EXPECT_EQ(store->snapshot()->getInt("port", 0), 8317);
    EXPECT_EQ(readText(path), kOddDocument);
}

TEST(ConfigWrite, AddingAndRemovingKeys) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    const std::string original = "a: 1 # one\n\n# about b\nb:\n  - x\n  - y\n\n# about c\nc: true";  // no final newline
    writeText(path, original);
    auto store = FileConfigStore::open(path, log);

    store->update([](Value& root) {
        root.set("new-list", Value(Value::Array{Value("true"), Value(""), Value(3)}));
        root.set("new-map", Value::object({{"k", Value("v")}, {"empty", Value::array()}}));
    });
    const std::string added = original + "\nnew-list:\n  - \"true\"\n  - \"\"\n  - 3\nnew-map:\n  k: v\n  empty: []\n";
    EXPECT_EQ(readText(path), added);

    store->update([](Value& root) { root.erase("b"); });
    const std::string removed = "a: 1 # one\n\n# about b\n\n# about c\nc: true\nnew-list:\n  - \"true\"\n  - \"\"\n"
                                "  - 3\nnew-map:\n  k: v\n  empty: []\n";
    EXPECT_EQ(readText(path), removed);

    store->update([](Value& root) {
        root.erase("new-list");
        root.set("a", Value(Value::Array{}));
    });
    EXPECT_EQ(readText(path), "a: []\n\n# about b\n\n# about c\nc: true\nnew-map:\n  k: v\n  empty: []\n");
    const auto& o = store->snapshot()->root().asObject();
    ASSERT_EQ(o.size(), 3u);
    EXPECT_EQ(o[0].first, "a");
    EXPECT_EQ(o[2].first, "new-map");
}

TEST(ConfigWrite, ScalarQuotingStyleAndCommentsSurviveValueChanges) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "proxy-url: 'socks5://a'  # proxy\nhost: \"0.0.0.0\" # h\nrouting:\n  strategy: fill-first\n");
    auto store = FileConfigStore::open(path, log);
    store->update([](Value& root) {
        root.set("proxy-url", Value("it's"));
        root.set("host", Value("123"));
    });
    EXPECT_EQ(readText(path), "proxy-url: 'it''s'  # proxy\nhost: \"123\" # h\nrouting:\n  strategy: fill-first\n");
    store->update([](Value& root) { root.set("host", Value(42)); });
    EXPECT_EQ(readText(path), "proxy-url: 'it''s'  # proxy\nhost: 42 # h\nrouting:\n  strategy: fill-first\n");
    EXPECT_EQ(store->snapshot()->getInt("host", 0), 42);
}

TEST(ConfigWrite, FlowStyleDocumentFallsBackToReEmission) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "{port: 1, debug: false}\n");
    auto store = FileConfigStore::open(path, log);
    store->update([](Value& root) { root.set("debug", Value(true)); });
    EXPECT_EQ(readText(path), "port: 1\ndebug: true\n");
}

TEST(ConfigWrite, AnchorsUsedElsewhereStillVerify) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "base: &b\n  x: 1\ncopy: *b\nport: 2\n");
    auto store = FileConfigStore::open(path, log);
    store->update([](Value& root) { root.erase("base"); });
    const auto parsed = parseConfigYaml(readText(path)).root;
    EXPECT_EQ(parsed.find("base"), nullptr);
    EXPECT_EQ(parsed.findPath("copy.x")->asInt(), 1);
    EXPECT_EQ(parsed.find("port")->asInt(), 2);
}

TEST(ConfigWrite, CrlfIndentedAndMultiDocumentLayouts) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");

    writeText(path, "# win\r\nport: 1\r\ndebug: false # d\r\nlist:\r\n  - a\r\n");
    auto store = FileConfigStore::open(path, log);
    store->update([](Value& root) {
        root.set("debug", Value(true));
        root.set("list", Value(Value::Array{Value("b")}));
        root.set("added", Value("x"));
    });
    EXPECT_EQ(readText(path), "# win\r\nport: 1\r\ndebug: true # d\r\nlist:\r\n  - b\r\nadded: x\r\n");

    // A root mapping indented as a whole keeps its indentation.
    writeText(path, "  port: 1\n  tls:\n    enable: false\n  host: h\n");
    store = FileConfigStore::open(path, log);
    store->update([](Value& root) { root["tls"].set("enable", Value(true)); root.set("new", Value(1)); });
    EXPECT_EQ(readText(path), "  port: 1\n  tls:\n    enable: true\n  host: h\n  new: 1\n");

    // Explicit document markers: new keys go inside the document.
    writeText(path, "---\nport: 1\n# end\n...\n");
    store = FileConfigStore::open(path, log);
    store->update([](Value& root) { root.set("debug", Value(true)); });
    EXPECT_EQ(readText(path), "---\nport: 1\n# end\ndebug: true\n...\n");
}

TEST(ConfigWrite, EmptyFileGainsKeys) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "# nothing yet\n");
    auto store = FileConfigStore::open(path, log);
    store->update([](Value& root) { root.set("port", Value(8317)); });
    EXPECT_EQ(readText(path), "# nothing yet\nport: 8317\n");
    store->update([](Value& root) { root.erase("port"); });
    EXPECT_EQ(readText(path), "# nothing yet\n");
    EXPECT_EQ(store->snapshot()->root().size(), 0u);
}

TEST(ConfigWrite, ConcurrentWritersLoseNoUpdateAndEveryIntermediateFileParses) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    constexpr int kThreads = 32, kRounds = 100;
    std::string text = "# concurrent test\n";
    for (int t = 0; t < kThreads; ++t) text += "key-" + std::to_string(t) + ": false\n";
    writeText(path, text);
    auto store = FileConfigStore::open(path, log);

    std::atomic<bool> done{false};
    std::atomic<int> reads{0}, badReads{0};
    std::string firstBad;
    std::thread reader([&] {
        while (!done) {
            try {
                const auto root = parseConfigYaml(readText(path)).root;
                if (root.size() != static_cast<std::size_t>(kThreads)) throw std::runtime_error("missing keys");
            } catch (const std::exception& e) {
                if (badReads++ == 0) firstBad = e.what();
            }
            ++reads;
        }
    });
    std::vector<std::thread> writers;
    for (int t = 0; t < kThreads; ++t) {
        writers.emplace_back([&, t] {
            const std::string key = "key-" + std::to_string(t);
            for (int i = 0; i < kRounds; ++i) {
                store->update([&](Value& root) { root.set(key, Value(!root.find(key)->asBool())); });
            }
        });
    }
    for (auto& w : writers) w.join();
    done = true;
    reader.join();
    EXPECT_EQ(badReads.load(), 0) << firstBad;
    EXPECT_GT(reads.load(), 0);
    EXPECT_EQ(readText(path), text) << "an even number of toggles restores every key";
    // Group commit: one publication per batch, every write in one of them.
    EXPECT_GT(store->snapshot()->generation(), 1u);
    EXPECT_LE(store->snapshot()->generation(), static_cast<std::uint64_t>(1 + kThreads * kRounds));
}

TEST(ConfigWrite, ConcurrentWritersWithDistinctFinalValues) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "port: 1\n");
    auto store = FileConfigStore::open(path, log);
    std::vector<std::thread> writers;
    for (int t = 0; t < 8; ++t) {
        writers.emplace_back([&, t] {
            for (int i = 1; i <= 20; ++i) {
                store->update([&](Value& root) { root.set("counter-" + std::to_string(t), Value(i)); });
            }
        });
    }
    for (auto& w : writers) w.join();
    const auto root = parseConfigYaml(readText(path)).root;
    for (int t = 0; t < 8; ++t) EXPECT_EQ(root.find("counter-" + std::to_string(t))->asInt(), 20);
}

TEST(ConfigWrite, FailedWriteChangesNeitherMemoryNorFile) {
    TempDir base;
    CapturingLogger log;
    const std::string dir = base.file("conf");
    std::filesystem::create_directory(dir);
    const std::string path = dir + "/config.yaml";
    writeText(path, kOddDocument);
    auto store = FileConfigStore::open(path, log);
    auto before = store->snapshot();

    // Root ignores permissions, so break the directory itself: move it away
    // and put a plain file where it was (creating the temp file → ENOTDIR).
    std::filesystem::rename(dir, base.file("moved"));
    writeText(dir, "not a directory");
    try {
        store->update([](Value& root) { root.set("debug", Value(true)); });
        FAIL() << "expected a failure";
    } catch (const sdk::HttpError& e) {
        EXPECT_EQ(e.status(), 500);
        const std::string what = e.what();
        EXPECT_EQ(what.rfind("failed to save config: ", 0), 0u) << what;
        EXPECT_NE(what.find("Not a directory"), std::string::npos) << what;
    }
    EXPECT_EQ(store->snapshot(), before);
    EXPECT_FALSE(store->snapshot()->getBool("debug", true));
    EXPECT_EQ(readText(base.file("moved") + "/config.yaml"), kOddDocument);
    EXPECT_EQ(readText(dir), "not a directory");
}

/// RLIMIT_FSIZE lowered to `bytes` while alive (write() then fails with
/// EFBIG, whoever we are; SIGXFSZ ignored meanwhile).
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        ::getrlimit(RLIMIT_FSIZE, &old_);
        oldHandler_ = ::signal(SIGXFSZ, SIG_IGN);
        rlimit small = old_;
        small.rlim_cur = bytes;
        ok_ = ::setrlimit(RLIMIT_FSIZE, &small) == 0;
    }
    ~FileSizeLimit() {
        ::setrlimit(RLIMIT_FSIZE, &old_);
        ::signal(SIGXFSZ, oldHandler_);
    }
    bool ok() const { return ok_; }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

private:
    rlimit old_{};
    sighandler_t oldHandler_{};
    bool ok_ = false;
};

TEST(ConfigWrite, WriteFailingMidwayRemovesTheTempFile) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "port: 1\n");
    auto store = FileConfigStore::open(path, log);
    auto before = store->snapshot();

    std::string error;
    {
        FileSizeLimit limit(64);
        ASSERT_TRUE(limit.ok());
        try {
            store->update([](Value& root) { root.set("big", Value(std::string(4096, 'x'))); });
        } catch (const sdk::HttpError& e) {
            error = e.what();
        }
    }

    EXPECT_EQ(error.rfind("failed to save config: write ", 0), 0u) << error;
    EXPECT_NE(error.find("File too large"), std::string::npos) << error;
    EXPECT_EQ(store->snapshot(), before);
    EXPECT_EQ(readText(path), "port: 1\n");
    EXPECT_EQ(test::listDir(dir.path()), std::vector<std::string>{"config.yaml"});
}

TEST(ConfigWrite, AFailedBatchFailsEveryWriterInItAndKeepsThePreviousState) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "port: 1\n");
    auto store = FileConfigStore::open(path, log);
    auto before = store->snapshot();

    auto limit = std::make_unique<FileSizeLimit>(64);
    ASSERT_TRUE(limit->ok());
    constexpr int kWriters = 16;
    std::atomic<int> failed{0}, succeeded{0};
    std::vector<std::thread> writers;
    for (int t = 0; t < kWriters; ++t) {
        writers.emplace_back([&, t] {
            try {
                store->update([t](Value& root) { root.set("key-" + std::to_string(t), Value(std::string(256, 'x'))); });
                ++succeeded;
            } catch (const sdk::HttpError& e) {
                if (e.status() == 500) ++failed;
            }
        });
    }
    for (auto& w : writers) w.join();
    limit.reset();

    EXPECT_EQ(failed.load(), kWriters);
    EXPECT_EQ(succeeded.load(), 0);
    EXPECT_EQ(store->snapshot(), before);
    EXPECT_EQ(readText(path), "port: 1\n");
    // The next write starts from the previous state: no failed change leaks in.
    store->update([](Value& root) { root.set("debug", Value(true)); });
    EXPECT_EQ(readText(path), "port: 1\ndebug: true\n");
}

TEST(ConfigWrite, FileModeIsKept) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "port: 1\n");
    std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    auto store = FileConfigStore::open(path, log);
    store->update([](Value& root) { root.set("port", Value(2)); });
    EXPECT_EQ(std::filesystem::status(path).permissions(),
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST(ConfigWrite, SymlinkedConfigIsWrittenThroughTheLink) {
    TempDir dir;
    CapturingLogger log;
    writeText(dir.file("real.yaml"), "port: 1\n");
    std::filesystem::create_symlink(dir.file("real.yaml"), dir.file("config.yaml"));
    auto store = FileConfigStore::open(dir.file("config.yaml"), log);
    store->update([](Value& root) { root.set("port", Value(2)); });
    EXPECT_TRUE(std::filesystem::is_symlink(dir.file("config.yaml")));
    EXPECT_EQ(readText(dir.file("real.yaml")), "port: 2\n");
}

TEST(ConfigWrite, ReplaceTextValidatesAndWritesAsGiven) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "port: 1\n");
    auto store = FileConfigStore::open(path, log);
    try {
        store->replaceText("port: 2\nhost: [\n");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("line 3, column 1"), std::string::npos) << e.what();
    }
    EXPECT_THROW(store->replaceText("port: nope\n"), std::invalid_argument);
    EXPECT_EQ(readText(path), "port: 1\n");

    const std::string text = "# new\nport: 3   # c\n\ndebug: true\n";
    auto snap = store->replaceText(text);
    EXPECT_EQ(readText(path), text);
    EXPECT_EQ(snap->text(), text);
    EXPECT_EQ(snap->getInt("port", 0), 3);
    EXPECT_EQ(store->snapshot(), snap);
}

TEST(ConfigWrite, SubscribersSeeEveryPublicationUntilUnsubscribed) {
    TempDir dir;
    CapturingLogger log;
    const std::string path = dir.file("config.yaml");
    writeText(path, "port: 1\n");
    auto store = FileConfigStore::open(path, log);
    std::vector<std::int64_t> seen;
    auto sub = store->subscribe([&](const sdk::SnapshotPtr& s) { seen.push_back(s->getInt("port", 0)); });
    auto throwing = store->subscribe([](const sdk::SnapshotPtr&) { throw std::runtime_error("boom"); });
    store->update([](Value& root) { root.set("port", Value(2)); });
    store->replaceText("port: 3\n");
    sub.reset();
    store->update([](Value& root) { root.set("port", Value(4)); });
    EXPECT_EQ(seen, (std::vector<std::int64_t>{2, 3}));
    EXPECT_TRUE(log.contains(sdk::LogLevel::Error, "boom"));
}

}  // namespace
}  // namespace cpa::core
