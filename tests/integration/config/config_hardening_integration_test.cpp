// Hardening of config.yaml handling through the real server: YAML resource
// limits on every path (PUT, the watcher, start-up) with the server's memory
// measured, management body bounds, stale temp files, concurrent writers.
#include "config_integration_support.hpp"
#include "temp_dir.hpp"
#include "yaml_bomb.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace cpa::config::itest {
namespace {

using cpa::test::readFile;

Poco::JSON::Object::Ptr jsonObject(const std::string& body) {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

/// A kB from /proc/<pid>/status ("VmRSS", "VmHWM").
long statusKb(pid_t pid, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
    }
    return -1;
}

/// What a refused document may add to the server's peak resident size. The
/// peak is measured from the server's own peak before the test's input
/// (an ASan build starts at ~430 MB of shadow and quarantine; a release
/// build at ~20 MB), so both builds check the same growth.
constexpr long kMemoryBoundKb = 200 * 1024;

long peakGrowthKb(pid_t pid, long baselineKb) { return statusKb(pid, "VmHWM") - baselineKb; }

using cpa::test::aliasBomb;

/// The first config-independent line of `path`'s writes to stdout/stderr
/// containing `needle`, waiting for the (debounced) watcher up to 10 s.
bool waitForLog(cpa::test::ServerProcess& p, const std::string& needle) {
    for (int i = 0; i < 200; ++i) {
        if ((p.stdoutText() + p.stderrText()).find(needle) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

TEST(ConfigHardening, AliasBombsAndHugeListsAreRefusedWithBoundedMemory) {
    ConfigServer server(baseConfig("debug: false\n"));
    const std::string before = server.fileText();
    const long baseline = statusKb(server.process().pid(), "VmHWM");
    ASSERT_GT(baseline, 0);
    struct Case {
        std::string extra;
        std::string limit;
    };
    std::string million = "numbers:\n";
    for (int i = 0; i < 1000000; ++i) million += "- " + std::to_string(i % 10) + "\n";  // ~2 MB
    const std::vector<Case> cases = {
        {aliasBomb(6), "alias expansion limit"},   // 10^7 scalars
        {aliasBomb(9), "alias expansion limit"},   // 10^10
        {million, "node limit"},
    };
    for (const Case& c : cases) {
        const auto r = server.mgmt("PUT", "/config.yaml", server.documentWith(c.extra));
        EXPECT_EQ(r.status, 400) << r.body.substr(0, 300);
        const auto body = jsonObject(r.body);
        EXPECT_EQ(body->getValue<std::string>("error"), "invalid_yaml");
        EXPECT_NE(body->getValue<std::string>("message").find(c.limit), std::string::npos)
            << body->getValue<std::string>("message");
        EXPECT_EQ(server.fileText(), before);
    }
    const long growth = peakGrowthKb(server.process().pid(), baseline);
    EXPECT_LT(growth, kMemoryBoundKb) << "peak RSS grew by " << growth << " kB";
    EXPECT_EQ(server.mgmt("GET", "/debug").body, R"({"debug":false})");
}

TEST(ConfigHardening, ABombOnDiskAtStartUpIsRefusedNamingTheLimit) {
    const auto r = cpa::test::runServerExpectFailure({"--config", "@CONFIG@"}, baseConfig(aliasBomb(9)));
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.stderrText.find("alias expansion limit"), std::string::npos) << r.stderrText;
}

TEST(ConfigHardening, ABombWrittenWhileRunningKeepsThePreviousConfigAndIsLogged) {
    ConfigServer server(baseConfig("debug: true\n"));
    const long baseline = statusKb(server.process().pid(), "VmHWM");
    ASSERT_GT(baseline, 0);
    const std::string bomb = server.documentWith("debug: false\n" + aliasBomb(9));
    const std::string tmp = server.process().configPath().string() + ".edit";
    {
        std::ofstream out(tmp, std::ios::binary);
        out << bomb;
    }
    std::filesystem::rename(tmp, server.process().configPath());
    ASSERT_TRUE(waitForLog(server.process(), "keeping the previous configuration"));
    const std::string logs = server.process().stdoutText() + server.process().stderrText();
    EXPECT_NE(logs.find("alias expansion limit"), std::string::npos);
    EXPECT_EQ(server.mgmt("GET", "/debug").body, R"({"debug":true})");
    EXPECT_LT(peakGrowthKb(server.process().pid(), baseline), kMemoryBoundKb);
}

TEST(ConfigHardening, AFiftyMegabyteValueIsRefusedWith413AndChangesNothing) {
    ConfigServer server(baseConfig("ampcode:\n  upstream-url: \"http://127.0.0.1:9\"\n"));
    const std::string before = server.fileText();
    const long baseline = statusKb(server.process().pid(), "VmHWM");
    ASSERT_GT(baseline, 0);
    const std::string body = "{\"value\":\"" + std::string(50u << 20, 'a') + "\"}";
    cpa::test::HttpResponse r;
    try {
        r = server.mgmt("PATCH", "/ampcode/upstream-url", body);
    } catch (const std::exception& e) {
        // The server may close before the client finished sending: then no
        // answer was read, but the file must still be untouched.
        r.status = -1;
    }
    if (r.status != -1) {
        EXPECT_EQ(r.status, 413);
        EXPECT_EQ(r.body, R"({"error":"request body too large"})");
    }
    EXPECT_EQ(server.fileText(), before);
    // A value that fits is still accepted, and memory stayed bounded.
    cpa::test::HttpClient fresh("127.0.0.1", server.port());
    EXPECT_EQ(fresh.request("PATCH", "/v0/management/ampcode/upstream-url",
                            {{"Authorization", std::string("Bearer ") + kKey}}, R"({"value":"http://127.0.0.1:10"})")
                  .status,
              200);
    EXPECT_LT(peakGrowthKb(server.process().pid(), baseline), kMemoryBoundKb);
}

TEST(ConfigHardening, ABodyJustOverTheManagementBoundIs413AndConfigYamlTakesLarger) {
    ConfigServer server(baseConfig("debug: false\n"));
    const std::string before = server.fileText();
    const auto r = server.mgmt("PUT", "/debug", "{\"value\":false,\"pad\":\"" + std::string(1u << 20, ' ') + "\"}");
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.body, R"({"error":"request body too large"})");
    // PUT /config.yaml takes a 2 MB document (its bound is 8 MiB).
    const std::string doc = server.documentWith("debug: true\nnote: \"" + std::string(2u << 20, 'n') + "\"\n");
    cpa::test::HttpClient fresh("127.0.0.1", server.port());
    const auto big = fresh.request("PUT", "/v0/management/config.yaml",
                                   {{"Authorization", std::string("Bearer ") + kKey}}, doc);
    EXPECT_EQ(big.status, 200) << big.body;
    EXPECT_EQ(server.fileText(), doc);
    EXPECT_NE(before, doc);
}

TEST(ConfigHardening, StartUpRemovesStaleTempFilesButNeverFollowsASymlink) {
    cpa::test::TempDir outside;
    const auto target = outside.path() / "target";
    {
        std::ofstream(target) << "not the server's\n";
    }
    ConfigServer first(baseConfig("debug: true\n"));
    first.process().signal(SIGKILL);
    first.process().waitExit(std::chrono::milliseconds(5000));
    const auto dir = first.process().dir();
    const auto stale = dir / ".config.yaml.tmp-0123456789ab";
    {
        std::ofstream(stale) << "remote-management:\n  secret-key: \"$2a$10$leaked\"\n";
    }
    const auto link = dir / ".config.yaml.tmp-abcdefabcdef";
    std::filesystem::create_symlink(target, link);

    cpa::test::ServerProcessOptions o;
    o.configText = "{}\n";  // its own, unused: --config below wins
    o.modulesDir = CPA_CONFIG_TEST_MODULES_DIR;
    o.extraArgs = {"--config", first.process().configPath().string()};
    cpa::test::ServerProcess second(std::move(o));

    EXPECT_FALSE(std::filesystem::exists(std::filesystem::symlink_status(stale)));
    EXPECT_TRUE(std::filesystem::is_symlink(std::filesystem::symlink_status(link)));
    EXPECT_EQ(readFile(target), "not the server's\n");
}

TEST(ConfigHardening, SixtyFourConcurrentWritersLoseNoAcknowledgedWrite) {
    ConfigServer server(baseConfig("ampcode:\n  model-mappings: []\n"));
    constexpr int kWriters = 64, kEach = 5;
    std::vector<std::set<std::string>> acked(kWriters);
    std::mutex failuresMutex;
    std::vector<std::string> failures;  // why a write was not acknowledged
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
        threads.emplace_back([&, w] {
            // Correctness, not latency: a sanitizer build on a busy machine may
            // take longer than the default 10 s to answer behind 63 others.
            cpa::test::HttpClientOptions slow;
            slow.timeout = std::chrono::seconds(120);
            cpa::test::HttpClient client("127.0.0.1", server.port(), slow);
            for (int i = 0; i < kEach; ++i) {
                const std::string from = "w" + std::to_string(w) + "-" + std::to_string(i);
                try {
                    const auto r = client.request("PATCH", "/v0/management/ampcode/model-mappings",
                                                  {{"Authorization", std::string("Bearer ") + kKey}},
                                                  R"({"value":[{"from":")" + from + R"(","to":"t"}]})");
                    if (r.status == 200) {
                        acked[static_cast<std::size_t>(w)].insert(from);
                    } else {
                        std::lock_guard lock(failuresMutex);
                        failures.push_back(std::to_string(r.status) + " " + r.body);
                    }
                } catch (const std::exception& e) {
                    std::lock_guard lock(failuresMutex);
                    failures.push_back(std::string("exception: ") + e.what());
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    std::set<std::string> onDisk;
    for (const auto& m : server.fileYaml()["ampcode"]["model-mappings"]) onDisk.insert(m["from"].as<std::string>());
    std::size_t total = 0;
    for (const auto& set : acked) {
        total += set.size();
        for (const auto& from : set) EXPECT_TRUE(onDisk.count(from)) << from << " acknowledged but not on disk";
    }
    EXPECT_EQ(total, static_cast<std::size_t>(kWriters * kEach))
        << "every write is acknowledged; first failure: " << (failures.empty() ? "" : failures.front());
    EXPECT_EQ(onDisk.size(), total);
}

TEST(ConfigHardening, ANestedScalarWriteChangesOnlyThatLineOnDisk) {
    ConfigServer server(baseConfig("ampcode:\n"
                                   "  # where Amp requests go\n"
                                   "  upstream-url: \"http://127.0.0.1:9\"   # local stub\n"
                                   "  restrict-management-to-localhost: true  # sibling comment\n"
                                   "debug: false\n"));
    const std::string before = server.fileText();
    ASSERT_EQ(server.mgmt("PATCH", "/ampcode/upstream-url", R"({"value":"http://127.0.0.1:10"})").status, 200);
    std::string expected = before;
    const std::string line = "  upstream-url: \"http://127.0.0.1:9\"   # local stub\n";
    expected.replace(expected.find(line), line.size(), "  upstream-url: \"http://127.0.0.1:10\"   # local stub\n");
    EXPECT_EQ(server.fileText(), expected);
}

TEST(ConfigHardening, PutWithAnotherHashOrThePlaintextOfTheSameSecretIsAccepted) {
    ConfigServer server(baseConfig("debug: false\n"));
    // bcrypt hashes made outside the server: the same secret as kKey, another salt.
    const std::string sameSecret = "$2b$10$uCJGtTtTmWtcBCiUd1UY7ujKDQdYObi0K9t5ZPqm6a.B96vz24GBO";
    const std::string otherSecret = "$2b$10$XduEDTDulRN4LZbxh3fDiOVkNJW4w2UfK45SLmQdzyDhskaCLXUO.";
    auto doc = [](const std::string& secret, bool debug) {
        return std::string("host: \"127.0.0.1\"\nport: 0\nmodules: [\"config\"]\nremote-management:\n  secret-key: \"") +
               secret + "\"\ndebug: " + (debug ? "true" : "false") + "\n";
    };
    ASSERT_NE(server.fileYaml()["remote-management"]["secret-key"].as<std::string>(), sameSecret);

    const auto other = server.mgmt("PUT", "/config.yaml", doc(otherSecret, true));
    EXPECT_EQ(other.status, 422) << other.body;
    EXPECT_EQ(jsonObject(other.body)->getValue<std::string>("error"), "invalid_config");

    const auto same = server.mgmt("PUT", "/config.yaml", doc(sameSecret, true));
    ASSERT_EQ(same.status, 200) << same.body;
    EXPECT_EQ(server.fileText(), doc(sameSecret, true)) << "stored as sent";
    EXPECT_EQ(server.mgmt("GET", "/debug").body, R"({"debug":true})") << "the key still works";

    const auto plain = server.mgmt("PUT", "/config.yaml", doc(kKey, false));
    ASSERT_EQ(plain.status, 200) << plain.body;
    EXPECT_EQ(server.fileText().find(kKey), std::string::npos) << "hashed before it is written";
    EXPECT_EQ(server.mgmt("GET", "/debug").body, R"({"debug":false})");
}

}  // namespace
}  // namespace cpa::config::itest
