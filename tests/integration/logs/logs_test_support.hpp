#pragma once
// Shared set-up of the logs integration tests.
#include "integration_support.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>

namespace cpa::test::logs {

inline const HeaderList kAuth = {{"Authorization", "Bearer logs-secret"}};
inline const std::string kBase = "/v0/management";

inline std::string logsConfig(bool loggingToFile, const std::string& extra = "") {
    return loopbackConfig(std::string("modules: [logs]\n") + "logging-to-file: " + (loggingToFile ? "true" : "false") +
                          "\nremote-management:\n  secret-key: \"logs-secret\"\n" + extra);
}

inline ServerProcessOptions logsServer(bool loggingToFile, const std::string& extra = "") {
    ServerProcessOptions o;
    o.configText = logsConfig(loggingToFile, extra);
    o.modulesDir = kModulesDir;
    return o;
}

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline void spit(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

/// Polls `done` every 20 ms for up to `timeout`.
inline bool eventually(const std::function<bool()>& done,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
}

}  // namespace cpa::test::logs
