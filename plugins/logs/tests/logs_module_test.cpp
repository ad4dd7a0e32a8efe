// The module through fake SDK objects: runtime switching of main.log, GET and
// DELETE /logs, the error-log and request-id downloads with hostile names.
#include "logs_module.hpp"
#include "test_dir.hpp"

#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/log_writer.hpp>
#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <mutex>

namespace fs = std::filesystem;
using namespace cpa;
using namespace cpa::sdk::testing;
using cpa::logs::testing::readText;
using cpa::logs::testing::TestDir;
using cpa::logs::testing::writeText;

namespace {

using LineWriter = std::function<void(std::string_view)>;
using Setter = std::function<void(LineWriter)>;

/// Stands in for the core's log sink behind "cpa.LogWriter/1".
struct FakeSink {
    std::mutex mutex;
    LineWriter writer;
    int installs = 0;
    void log(std::string_view line) {
        std::lock_guard lock(mutex);
        if (writer) writer(line);
    }
    bool installed() {
        std::lock_guard lock(mutex);
        return static_cast<bool>(writer);
    }
};

class LogsModuleTest : public ::testing::Test {
protected:
    void SetUp() override { ctx.mutablePaths().logDir = (dir.path / "logs").string(); }

    void startWith(sdk::Value config) {
        ctx.config().reload(std::move(config));
        ctx.services().provide(sdk::kLogWriterService, std::make_shared<Setter>([this](LineWriter w) {
                                   std::lock_guard lock(sink.mutex);
                                   sink.writer = std::move(w);
                                   ++sink.installs;
                               }));
        module = std::make_unique<logs::LogsModule>();
        module->configure(ctx);
        module->registerRoutes(router);
        router.freeze();
        module->start();
    }

    /// Runs a handler with a raw parameter value (bypassing path matching, so
    /// names the router would never produce can be tried).
    FakeResponse callWithParam(sdk::Method m, const std::string& pattern, const std::string& param,
                               const std::string& value) {
        const auto* route = router.find(m, "/v0/management" + pattern);
        EXPECT_NE(route, nullptr);
        FakeRequest req(m, "/v0/management" + pattern);
        req.setParam(param, value);
        FakeResponse res;
        try {
            route->handler(req, res);
        } catch (const sdk::HttpError& e) {
            res.json(e.status(), e.body());
        }
        return res;
    }

    fs::path logs() const { return dir.path / "logs"; }

    TestDir dir;
    FakeContext ctx;
    FakeSink sink;
    FakeRouter router;
    std::unique_ptr<logs::LogsModule> module;
};

std::string errorOf(const FakeResponse& r) {
    const sdk::Value v = r.bodyJson();
    const sdk::Value* e = v.find("error");
    return e ? e->stringOr("") : "";
}

}  // namespace

TEST_F(LogsModuleTest, FileLoggingFollowsTheConfigAtRuntime) {
    startWith(sdk::Value::object({{"logging-to-file", false}}));
    EXPECT_FALSE(sink.installed());
    EXPECT_FALSE(fs::exists(logs() / "main.log"));
    EXPECT_EQ(router.call(sdk::Method::Get, "/v0/management/logs").status(), 400);

    ctx.config().update([](sdk::Value& root) { root.set("logging-to-file", true); });
    ASSERT_TRUE(sink.installed());
    sink.log("[2026-05-01 12:00:03] [--------] [info ] [t:1] hello\n");
    module->flush();
    EXPECT_NE(readText(logs() / "main.log").find("hello"), std::string::npos);

    ctx.config().update([](sdk::Value& root) { root.set("logging-to-file", false); });
    EXPECT_FALSE(sink.installed()) << "the sink's writer is restored when file logging goes off";
    module->stop();
    EXPECT_FALSE(sink.installed());
}

TEST_F(LogsModuleTest, StopRestoresTheSinkWriter) {
    startWith(sdk::Value::object({{"logging-to-file", true}}));
    EXPECT_TRUE(sink.installed());
    module->stop();
    EXPECT_FALSE(sink.installed());
}

TEST_F(LogsModuleTest, GetLogsValidatesLimitAndReturnsTheTail) {
    startWith(sdk::Value::object({{"logging-to-file", true}}));
    for (int i = 0; i < 10; ++i) {
        sink.log("[2026-05-01 12:00:0" + std::to_string(i) + "] [--------] [info ] [t:1] line " +
                 std::to_string(i) + "\n");
    }
    auto r = router.call(sdk::Method::Get, "/v0/management/logs?limit=2");
    ASSERT_EQ(r.status(), 200) << r.body();
    const sdk::Value v = r.bodyJson();
    ASSERT_EQ(v.find("lines")->size(), 2u);
    EXPECT_NE(v.find("lines")->asArray()[1].asString().find("line 9"), std::string::npos);
    EXPECT_TRUE(v.find("latest-timestamp")->intOr(0) > 0);

    EXPECT_EQ(errorOf(router.call(sdk::Method::Get, "/v0/management/logs?limit=abc")),
              "invalid limit: must be a positive integer");
    EXPECT_EQ(errorOf(router.call(sdk::Method::Get, "/v0/management/logs?limit=0")),
              "invalid limit: must be greater than zero");
    EXPECT_EQ(errorOf(router.call(sdk::Method::Get, "/v0/management/logs?limit=-3")),
              "invalid limit: must be greater than zero");
    // A bad `after` means "no cutoff".
    auto all = router.call(sdk::Method::Get, "/v0/management/logs?after=yesterday");
    EXPECT_EQ(all.bodyJson().find("lines")->size(), 10u);
    EXPECT_EQ(all.bodyJson().find("line-count")->intOr(0), 10);
}

TEST_F(LogsModuleTest, GetLogsWithoutDirectoryIsEmptyEvenWithABadLimit) {
    startWith(sdk::Value::object({{"logging-to-file", false}}));
    ctx.config().reload(sdk::Value::object({{"logging-to-file", true}}));  // module sees the key, dir stays absent
    fs::remove_all(logs());
    auto r = router.call(sdk::Method::Get, "/v0/management/logs?limit=abc&after=42");
    ASSERT_EQ(r.status(), 200) << r.body();
    EXPECT_EQ(r.body(), R"({"lines":[],"line-count":0,"latest-timestamp":42})");
    EXPECT_EQ(errorOf(router.call(sdk::Method::Delete, "/v0/management/logs")), "log directory not found");
}

TEST_F(LogsModuleTest, DeleteTruncatesMainRemovesBackupsKeepsOthers) {
    startWith(sdk::Value::object({{"logging-to-file", true}}));
    sink.log("[2026-05-01 12:00:03] [--------] [info ] [t:1] before\n");
    writeText(logs() / "main.log.1", "x\n");
    writeText(logs() / "main-2026-05-01T00-00-00.000.log", "y\n");
    writeText(logs() / "error-v1-x-2026-05-01T120000-abc.log", "keep\n");
    writeText(logs() / "notes.txt", "keep\n");
    auto r = router.call(sdk::Method::Delete, "/v0/management/logs");
    ASSERT_EQ(r.status(), 200) << r.body();
    EXPECT_EQ(r.body(), R"({"success":true,"message":"Logs cleared successfully","removed":2})");
    EXPECT_EQ(fs::file_size(logs() / "main.log"), 0u);
    EXPECT_TRUE(fs::exists(logs() / "error-v1-x-2026-05-01T120000-abc.log"));
    EXPECT_TRUE(fs::exists(logs() / "notes.txt"));
    EXPECT_FALSE(fs::exists(logs() / "main.log.1"));
    sink.log("[2026-05-01 12:00:04] [--------] [info ] [t:1] after\n");
    module->flush();
    EXPECT_EQ(readText(logs() / "main.log"), "[2026-05-01 12:00:04] [--------] [info ] [t:1] after\n");

    ctx.config().update([](sdk::Value& root) { root.set("logging-to-file", false); });
    EXPECT_EQ(errorOf(router.call(sdk::Method::Delete, "/v0/management/logs")), "logging to file disabled");
}

TEST_F(LogsModuleTest, ErrorLogListing) {
    startWith(sdk::Value::object({{"request-log", false}}));
    EXPECT_EQ(router.call(sdk::Method::Get, "/v0/management/request-error-logs").body(), R"({"files":[]})");
    fs::create_directories(logs());
    writeText(logs() / "error-a-2026-05-01T120000-aa.log", "12345");
    writeText(logs() / "error-b-2026-05-01T120001-bb.log", "1");
    writeText(logs() / "v1-x-2026-05-01T120000-cc.log", "not an error log");
    fs::create_directory(logs() / "error-dir.log");
    fs::create_symlink("/etc/passwd", logs() / "error-link.log");
    fs::last_write_time(logs() / "error-a-2026-05-01T120000-aa.log",
                        fs::file_time_type::clock::now() - std::chrono::hours(1));
    auto r = router.call(sdk::Method::Get, "/v0/management/request-error-logs");
    ASSERT_EQ(r.status(), 200);
    const sdk::Value body = r.bodyJson();
    const auto& files = body.find("files")->asArray();
    ASSERT_EQ(files.size(), 2u) << r.body();
    EXPECT_EQ(files[0].find("name")->asString(), "error-b-2026-05-01T120001-bb.log");
    EXPECT_EQ(files[1].find("size")->asInt(), 5);
    EXPECT_GT(files[0].find("modified")->asInt(), files[1].find("modified")->asInt());

    ctx.config().update([](sdk::Value& root) { root.set("request-log", true); });
    EXPECT_EQ(router.call(sdk::Method::Get, "/v0/management/request-error-logs").body(), R"({"files":[]})");
}

TEST_F(LogsModuleTest, ErrorLogDownloadAndHostileNames) {
    startWith(sdk::Value::object());
    fs::create_directories(logs());
    writeText(logs() / "error-ok-2026-05-01T120000-aa.log", "content\n");
    writeText(dir.path / "error-outside.log", "secret\n");
    fs::create_symlink(dir.path / "error-outside.log", logs() / "error-link-out.log");
    fs::create_symlink(logs() / "error-ok-2026-05-01T120000-aa.log", logs() / "error-link-in.log");
    fs::create_directory(logs() / "error-dir.log");

    auto ok = callWithParam(sdk::Method::Get, "/request-error-logs/:name", "name", " error-ok-2026-05-01T120000-aa.log ");
    ASSERT_EQ(ok.status(), 200) << ok.body();
    EXPECT_EQ(ok.body(), "content\n");
    EXPECT_EQ(ok.header("Content-Disposition").value_or(""),
              "attachment; filename=\"error-ok-2026-05-01T120000-aa.log\"");
    EXPECT_EQ(callWithParam(sdk::Method::Get, "/request-error-logs/:name", "name", "error-link-in.log").status(), 200);

    struct Case {
        std::string name;
        int status;
        std::string error;
    };
    const std::vector<Case> hostile = {
        {"../error-outside.log", 400, "invalid log file name"},
        {"..\\error-outside.log", 400, "invalid log file name"},
        {"error-../../etc/passwd.log", 400, "invalid log file name"},
        {"/etc/error-passwd.log", 400, "invalid log file name"},
        {"error-x/../../error-outside.log", 400, "invalid log file name"},
        {"error-a\\..\\..\\b.log", 400, "invalid log file name"},
        {"", 400, "invalid log file name"},
        {"   ", 400, "invalid log file name"},
        {"..", 404, "log file not found"},
        {".", 404, "log file not found"},
        {"error-..log", 404, "log file not found"},  // a legal, missing name
        {"error-%2e%2e%2ferror-outside.log", 404, "log file not found"},  // no decoding here
        {"error-link-out.log", 400, "invalid log file path"},
        {"error-dir.log", 400, "invalid log file"},
        {"main.log", 404, "log file not found"},
        {"error-ok.txt", 404, "log file not found"},
        {std::string("error-\0.log", 11), 400, "invalid log file name"},
        {"error-missing.log", 404, "log file not found"},
        {"ERROR-ok-2026-05-01T120000-aa.log", 404, "log file not found"},
    };
    for (const Case& c : hostile) {
        const auto r = callWithParam(sdk::Method::Get, "/request-error-logs/:name", "name", c.name);
        EXPECT_EQ(r.status(), c.status) << c.name;
        EXPECT_EQ(errorOf(r), c.error) << c.name;
        EXPECT_EQ(r.body().find("secret"), std::string::npos) << c.name;
    }
}

TEST_F(LogsModuleTest, RequestLogByIdMatchesExactly) {
    startWith(sdk::Value::object());
    EXPECT_EQ(errorOf(callWithParam(sdk::Method::Get, "/request-log-by-id/:id", "id", "abc")),
              "log directory not found");
    fs::create_directories(logs());
    writeText(logs() / "v1-chat-completions-2026-05-01T120003-a1b2c3d4.log", "full\n");
    writeText(logs() / "error-v1-messages-2026-05-01T120004-ffa1b2c3d4.log", "suffix collision\n");
    writeText(logs() / "main-2026-05-01T12-00-03.a1b2c3d4.log", "backup\n");
    writeText(logs() / "error-v1-x-2026-05-01T120005-1.log", "one\n");
    writeText(logs() / "v1-y-2026-05-01T120006-11.log", "eleven\n");

    auto r = callWithParam(sdk::Method::Get, "/request-log-by-id/:id", "id", "a1b2c3d4");
    ASSERT_EQ(r.status(), 200) << r.body();
    EXPECT_EQ(r.body(), "full\n");
    EXPECT_EQ(r.header("Content-Disposition").value_or(""),
              "attachment; filename=\"v1-chat-completions-2026-05-01T120003-a1b2c3d4.log\"");
    EXPECT_EQ(callWithParam(sdk::Method::Get, "/request-log-by-id/:id", "id", "1").body(), "one\n");
    EXPECT_EQ(callWithParam(sdk::Method::Get, "/request-log-by-id/:id", "id", "ffa1b2c3d4").body(),
              "suffix collision\n");

    EXPECT_EQ(errorOf(callWithParam(sdk::Method::Get, "/request-log-by-id/:id", "id", "b2c3d4")),
              "log file not found for the given request ID");
    EXPECT_EQ(errorOf(callWithParam(sdk::Method::Get, "/request-log-by-id/:id", "id", "  ")), "missing request ID");
    EXPECT_EQ(errorOf(callWithParam(sdk::Method::Get, "/request-log-by-id/:id", "id", "../a1b2c3d4")),
              "invalid request ID");
    EXPECT_EQ(errorOf(callWithParam(sdk::Method::Get, "/request-log-by-id/:id", "id", "a\\b")), "invalid request ID");
    EXPECT_EQ(callWithParam(sdk::Method::Get, "/request-log-by-id/:id", "id", "*").status(), 404);

    // The `id` query parameter is the fallback for a blank path parameter.
    const auto* route = router.find(sdk::Method::Get, "/v0/management/request-log-by-id/:id");
    FakeRequest req(sdk::Method::Get, "/v0/management/request-log-by-id/?id=a1b2c3d4");
    FakeResponse res;
    route->handler(req, res);
    EXPECT_EQ(res.body(), "full\n");
}

TEST_F(LogsModuleTest, SizeCapCleansOldFilesButKeepsActiveMainLog) {
    startWith(sdk::Value::object({{"logging-to-file", true}}));
    sink.log("[2026-05-01 12:00:03] [--------] [info ] [t:1] x\n");
    module->flush();
    writeText(logs() / "error-old-2026-05-01T120000-aa.log", std::string(2 * 1024 * 1024, 'o'));
    fs::last_write_time(logs() / "error-old-2026-05-01T120000-aa.log",
                        fs::file_time_type::clock::now() - std::chrono::hours(2));
    fs::last_write_time(logs() / "main.log", fs::file_time_type::clock::now() - std::chrono::hours(3));
    ctx.config().update([](sdk::Value& root) { root.set("logs-max-total-size-mb", 1); });
    for (int i = 0; i < 400 && fs::exists(logs() / "error-old-2026-05-01T120000-aa.log"); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_FALSE(fs::exists(logs() / "error-old-2026-05-01T120000-aa.log"));
    EXPECT_TRUE(fs::exists(logs() / "main.log"));
}
