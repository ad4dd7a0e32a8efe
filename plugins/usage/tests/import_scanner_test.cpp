// The streamed import scanner must decide every body exactly as the tree
// decoder (parseJson + snapshotFromJson) does, or leave it to it.
#include "import_scanner.hpp"
#include "usage_module.hpp"

#include <cpa/sdk/body.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

namespace st = cpa::sdk::testing;
namespace fs = std::filesystem;
using namespace cpa::usage;
using cpa::sdk::Method;
using cpa::sdk::Value;

namespace {

// What a decoder saw, flattened: one line per API, model and detail.
struct Recorder final : ImportVisitor {
    std::vector<std::string> seen;
    void beginApi(std::string_view name) override { seen.push_back("api " + std::string(name)); }
    void beginModel(std::string_view name) override { seen.push_back("model " + std::string(name)); }
    void detail(Detail d) override {
        seen.push_back(detailJson(d) + " ts=" + std::to_string(d.timestamp.seconds));
    }
};

enum class Tree { Ok, Invalid };

// The tree decoder's verdict and, when Ok, the same flattening.
Tree decodeWithTree(const std::string& body, std::int64_t& version, std::vector<std::string>& seen) {
    try {
        const Value v = cpa::sdk::parseJson(body);
        std::vector<ImportApi> apis;
        if (!v.isNull()) {
            if (!v.isObject()) return Tree::Invalid;
            if (const Value* ver = cpa::sdk::boundMember(v, "version")) {
                if (!ver->isInt()) return Tree::Invalid;
                version = ver->asInt();
            }
            if (const Value* u = cpa::sdk::boundMember(v, "usage")) apis = snapshotFromJson(*u);
        }
        Recorder r;
        for (const auto& a : apis) {
            r.beginApi(a.name);
            for (const auto& m : a.models) {
                r.beginModel(m.name);
                for (const auto& d : m.details) r.detail(d);
            }
        }
        seen = r.seen;
        return Tree::Ok;
    } catch (const std::exception&) {
        return Tree::Invalid;
    }
}

// Scans `body` and checks it against the tree; returns the scanner's outcome.
ScanOutcome check(const std::string& body) {
    std::int64_t treeVersion = 0;
    std::vector<std::string> treeSeen;
    const Tree tree = decodeWithTree(body, treeVersion, treeSeen);
    const ScanResult scan = scanImport(body);
    if (scan.outcome == ScanOutcome::Ok) {
        EXPECT_EQ(tree, Tree::Ok) << body;
        EXPECT_EQ(scan.version, treeVersion) << body;
        Recorder r;
        EXPECT_EQ(scanImport(body, &r).outcome, ScanOutcome::Ok);
        EXPECT_EQ(r.seen, treeSeen) << body;
    } else if (scan.outcome == ScanOutcome::Invalid) {
        EXPECT_EQ(tree, Tree::Invalid) << body;
    }
    return scan.outcome;
}

std::string wrap(const std::string& detail) {
    return R"({"version":1,"usage":{"apis":{"k":{"models":{"m":{"details":[)" + detail + "]}}}}}}";
}

}  // namespace

TEST(ImportScanner, DecidesPlainBodiesLikeTheTreeDecoder) {
    const std::vector<std::string> ok = {
        "null",
        " {} ",
        R"({"version":0})",
        R"({"version":null,"usage":null})",
        R"({"exported_at":"x","failed_requests":3,"other":[1,{"a":[true,false,null,-0.5e3]}],"usage":{}})",
        R"({"usage":{"total_requests":1,"requests_by_day":{"2026-01-01":2,"x":null},"tokens_by_hour":null,
            "apis":{" k ":null,"":{"models":{"m":null}},"k2":{"total_tokens":5,"models":{" ":{"details":null}}}}}})",
        wrap("null"),
        wrap(R"({"timestamp":"2026-03-20T12:00:00.5+08:00","latency_ms":-3,"source":"s\u00e9\n","auth_index":"a",)"
             R"("tokens":{"input_tokens":1,"output_tokens":2,"reasoning_tokens":3,"cached_tokens":4,"total_tokens":0},)"
             R"("failed":true,"extra":{"deep":[[[]]]}})"),
        wrap(R"({"timestamp":null,"source":null,"tokens":null,"failed":null},{})"),
        wrap("{\"source\":\"bad utf8 \xff\xfe\"}"),
        R"({"usage":{"apis":{"k\u0041":{"models":{"m":{"details":[{"latency_ms":-9223372036854775808}]}}}}}})",
    };
    for (const auto& body : ok) EXPECT_EQ(check(body), ScanOutcome::Ok) << body;
}

TEST(ImportScanner, FindsTheTreeDecodersTypeErrors) {
    const std::vector<std::string> invalid = {
        "[1]",
        "\"text\"",
        R"({"version":"1"})",
        R"({"version":1.0})",
        R"({"version":1e2})",
        R"({"version":99999999999999999999})",
        R"({"usage":[]})",
        R"({"usage":{"total_requests":"1"}})",
        R"({"usage":{"requests_by_day":{"d":1.5}}})",
        R"({"usage":{"apis":[]}})",
        R"({"usage":{"apis":{"k":5}}})",
        R"({"usage":{"apis":{"k":{"models":{"m":{"details":{}}}}}}})",
        wrap("5"),
        wrap(R"({"timestamp":"2026-03-20 12:00:00"})"),
        wrap(R"({"timestamp":5})"),
        wrap(R"({"tokens":{"input_tokens":"5"}})"),
        wrap(R"({"tokens":[]})"),
        wrap(R"({"failed":"true"})"),
        wrap(R"({"source":1})"),
        // An error early in the body and valid details after it.
        wrap(R"({"latency_ms":"x"},{"latency_ms":1})"),
    };
    for (const auto& body : invalid) EXPECT_EQ(check(body), ScanOutcome::Invalid) << body;
}

TEST(ImportScanner, LeavesAmbiguousOrMalformedBodiesToTheTreeDecoder) {
    const std::vector<std::string> fallback = {
        "",
        "   ",
        "{",
        R"({"version":1} trailing)",
        R"({"version":01})",
        R"({"a":"unterminated})",
        "{\"a\":\"ctl\x01\"}",
        // Duplicates: the last value wins (so an early bad one does not count).
        R"({"usage":{"apis":[]},"usage":{}})",
        R"({"usage":{"requests_by_day":{"d":"x","d":1}}})",
        R"({"usage":{"apis":{"k":{},"k":{}}}})",
        wrap(R"({"failed":"x","failed":true})"),
        // Case variants bind by the decoder's own rules.
        R"({"Version":2})",
        R"({"usage":{"APIS":{}}})",
        wrap(R"({"Latency_ms":5})"),
        // Nesting beyond sdk::parseJson's limit.
        R"({"x":)" + std::string(600, '[') + std::string(600, ']') + "}",
    };
    for (const auto& body : fallback) EXPECT_EQ(check(body), ScanOutcome::Fallback) << body;
}

namespace {

struct Module : ::testing::Test {
    fs::path dir = fs::temp_directory_path() / ("cpa-usage-scan-" + std::to_string(std::random_device{}()));
    st::FakeContext ctx{Value::object({{"usage-statistics-enabled", true}})};
    st::FakeRouter router;
    UsageModule module;
    void SetUp() override {
        ctx.mutablePaths().dataDir = (dir / "data").string();
        module.configure(ctx);
        module.registerRoutes(router);
    }
    void TearDown() override {
        module.stop();
        fs::remove_all(dir);
    }
    st::FakeResponse import(const std::string& body) {
        return router.call(Method::Post, "/v0/management/usage/import", body);
    }
    std::string usage() { return router.call(Method::Get, "/v0/management/usage").body(); }
};

}  // namespace

TEST_F(Module, StreamedImportWithALateErrorChangesNothing) {
    ASSERT_EQ(import(wrap(R"({"timestamp":"2026-03-20T12:00:00Z"})")).status(), 200);
    const std::string before = usage();
    std::string details;
    for (int i = 0; i < 5000; ++i) details += R"({"timestamp":"2026-03-21T12:00:00Z","latency_ms":)" + std::to_string(i) + "},";
    auto r = import(wrap(details + R"({"tokens":{"total_tokens":"7"}})"));
    EXPECT_EQ(r.status(), 400);
    EXPECT_EQ(r.body(), R"({"error":"invalid json"})");
    r = import(wrap(details + R"({"timestamp":"x"})"));
    EXPECT_EQ(r.body(), R"({"error":"invalid json"})");
    details.pop_back();  // the trailing comma: a valid body, but version 3
    r = import(R"({"version":3,"usage":{"apis":{"k":{"models":{"m":{"details":[)" + details + "]}}}}}}");
    EXPECT_EQ(r.body(), R"({"error":"unsupported version"})");
    EXPECT_EQ(usage(), before);
}

TEST_F(Module, StreamedAndTreeImportsAgree) {
    // Same details, one body the scanner takes, one it leaves to the tree
    // (a duplicate top-level key whose first value is discarded).
    const std::string details =
        R"({"timestamp":"2026-03-20T12:00:00Z","source":" s ","tokens":{"input_tokens":3}},)"
        R"({"timestamp":"2026-03-20T12:00:00Z","source":" s ","tokens":{"input_tokens":3}},)"
        R"({"timestamp":"2026-03-20T13:00:00+02:00","latency_ms":-1,"failed":true})";
    const std::string plain = R"({"usage":{"apis":{" k ":{"models":{"":{"details":[)" + details + "]}}},\"\":{}}}}";
    const std::string dup = R"({"usage":5,"usage":{"apis":{" k ":{"models":{"":{"details":[)" + details + "]}}},\"\":{}}}}";
    ASSERT_EQ(scanImport(plain).outcome, ScanOutcome::Ok);
    ASSERT_EQ(scanImport(dup).outcome, ScanOutcome::Fallback);
    auto r = import(plain);
    EXPECT_EQ(r.body(), R"({"added":2,"failed_requests":1,"skipped":1,"total_requests":2})");
    const std::string afterPlain = usage();
    EXPECT_NE(afterPlain.find(R"("k":{"total_requests":2)"), std::string::npos) << afterPlain;
    EXPECT_NE(afterPlain.find(R"("unknown":{)"), std::string::npos) << afterPlain;
    r = import(dup);
    EXPECT_EQ(r.body(), R"({"added":0,"failed_requests":1,"skipped":3,"total_requests":2})");
    EXPECT_EQ(usage(), afterPlain);
}
