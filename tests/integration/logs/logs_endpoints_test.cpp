// Error-log listing and downloads, request-log-by-id, and a catalogue of
// hostile names sent over the wire: none may reach a file outside logs/.
#include "logs_test_support.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

using namespace cpa::test;
using namespace cpa::test::logs;
namespace fs = std::filesystem;

namespace {

struct Fixture {
    ServerProcess server;
    fs::path dir;
    explicit Fixture(const std::string& extra = "")
        : server(logsServer(false, extra)), dir(server.dir() / "logs") {
        fs::create_directories(dir);
        spit(dir / "error-v1-chat-completions-2026-05-01T120004-9f00aa11.log", "=== REQUEST INFO ===\nerror one\n");
        spit(dir / "v1-messages-2026-05-01T120003-a1b2c3d4e5f60718.log", "=== REQUEST INFO ===\nfull log\n");
        spit(server.dir() / "secret.log", "TOPSECRET\n");
        spit(server.dir() / "error-secret.log", "TOPSECRET\n");
        fs::create_symlink(server.dir() / "error-secret.log", dir / "error-link.log");
        fs::create_symlink("/etc/passwd", dir / "error-passwd.log");
        fs::create_directory(dir / "error-dir.log");
    }
};

}  // namespace

TEST(LogsEndpoints, ErrorLogListAndDownload) {
    Fixture f;
    HttpClient c("127.0.0.1", f.server.port());
    auto list = c.get(kBase + "/request-error-logs", kAuth);
    ASSERT_EQ(list.status, 200) << list.body;
    auto files = jsonObject(list.body)->getArray("files");
    ASSERT_EQ(files->size(), 1u) << list.body << " (symlinks and directories are not listed)";
    auto first = files->getObject(0);
    EXPECT_EQ(first->getValue<std::string>("name"), "error-v1-chat-completions-2026-05-01T120004-9f00aa11.log");
    EXPECT_EQ(first->getValue<long long>("size"), 31);
    EXPECT_GT(first->getValue<long long>("modified"), 0);

    auto dl = c.get(kBase + "/request-error-logs/error-v1-chat-completions-2026-05-01T120004-9f00aa11.log", kAuth);
    ASSERT_EQ(dl.status, 200);
    EXPECT_EQ(dl.body, "=== REQUEST INFO ===\nerror one\n");
    EXPECT_EQ(dl.header("Content-Disposition").value_or(""),
              "attachment; filename=\"error-v1-chat-completions-2026-05-01T120004-9f00aa11.log\"");
    EXPECT_EQ(dl.header("Content-Type").value_or(""), "text/plain; charset=utf-8");

    auto missing = c.get(kBase + "/request-error-logs/error-nope.log", kAuth);
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.body, R"({"error":"log file not found"})");
    EXPECT_EQ(c.get(kBase + "/request-error-logs/error-nope.log").status, 401);
}

TEST(LogsEndpoints, ErrorLogListIsEmptyWhileRequestLogIsOn) {
    Fixture f("request-log: true\n");
    HttpClient c("127.0.0.1", f.server.port());
    EXPECT_EQ(c.get(kBase + "/request-error-logs", kAuth).body, R"({"files":[]})");
    // Still downloadable by name.
    EXPECT_EQ(c.get(kBase + "/request-error-logs/error-v1-chat-completions-2026-05-01T120004-9f00aa11.log", kAuth).status,
              200);
}

TEST(LogsEndpoints, RequestLogByIdExactMatch) {
    Fixture f;
    HttpClient c("127.0.0.1", f.server.port());
    auto r = c.get(kBase + "/request-log-by-id/a1b2c3d4e5f60718", kAuth);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, "=== REQUEST INFO ===\nfull log\n");
    EXPECT_EQ(r.header("Content-Disposition").value_or(""),
              "attachment; filename=\"v1-messages-2026-05-01T120003-a1b2c3d4e5f60718.log\"");
    EXPECT_EQ(c.get(kBase + "/request-log-by-id/9f00aa11", kAuth).body, "=== REQUEST INFO ===\nerror one\n");
    auto partial = c.get(kBase + "/request-log-by-id/e5f60718", kAuth);
    EXPECT_EQ(partial.status, 404);
    EXPECT_EQ(partial.body, R"({"error":"log file not found for the given request ID"})");
    EXPECT_EQ(c.get(kBase + "/request-log-by-id/%20", kAuth).body, R"({"error":"missing request ID"})");
    EXPECT_EQ(c.get(kBase + "/request-log-by-id/a%5Cb", kAuth).body, R"({"error":"invalid request ID"})");
}

TEST(LogsEndpoints, TraversalCatalogueIsRefused) {
    Fixture f;
    HttpClient c("127.0.0.1", f.server.port());
    const std::vector<std::string> hostile = {
        "/request-error-logs/..%2Fsecret.log",
        "/request-error-logs/..%2f..%2fconfig.yaml",
        "/request-error-logs/%2e%2e%2ferror-secret.log",
        "/request-error-logs/..%5Cerror-secret.log",
        "/request-error-logs/error-x%5C..%5C..%5Cerror-secret.log",
        "/request-error-logs/error-..%2F..%2Ferror-secret.log",
        "/request-error-logs/error-link.log",
        "/request-error-logs/error-passwd.log",
        "/request-error-logs/error-dir.log",
        "/request-error-logs/%2Fetc%2Fpasswd",
        "/request-error-logs/error-%2Fetc%2Fpasswd.log",
        "/request-error-logs/%252e%252e%252ferror-secret.log",
        "/request-error-logs/error-%00.log",
        "/request-error-logs/..",
        "/request-error-logs/%2e%2e",
        "/request-error-logs/....%2F%2Ferror-secret.log",
        "/request-error-logs/error-v1.log%2F..%2F..%2Ferror-secret.log",
        "/request-log-by-id/..%2Fsecret",
        "/request-log-by-id/%2E%2E",
        "/request-log-by-id/x%5C..%5Csecret",
        "/request-log-by-id/%20?id=../secret",
        "/request-log-by-id/link",
    };
    for (const std::string& path : hostile) {
        HttpResponse r;
        try {
            r = c.get(kBase + path, kAuth);
        } catch (const std::exception&) {
            c.reset();
            continue;  // the server refusing to parse the target is a refusal too
        }
        EXPECT_NE(r.status, 200) << path << " → " << r.body;
        if (std::getenv("CPA_LOGS_VERBOSE")) std::printf("%d %s %s\n", r.status, path.c_str(), r.body.c_str());
        EXPECT_GE(r.status, 400) << path;
        EXPECT_EQ(r.body.find("TOPSECRET"), std::string::npos) << path;
        EXPECT_EQ(r.body.find("root:"), std::string::npos) << path;
    }
    EXPECT_GE(hostile.size(), 15u);
}
