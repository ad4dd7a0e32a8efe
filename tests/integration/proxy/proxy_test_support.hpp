#pragma once
// Helpers of the proxy integration suite.
#include "integration_support.hpp"

#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

namespace cpa::test::proxy {

inline bool eventually(const std::function<bool()>& done,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return done();
}

inline void writeFile(const std::filesystem::path& p, const std::string& text) {
    const auto tmp = p.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
    }
    std::filesystem::rename(tmp, p);
}

inline ServerProcessOptions proxyServer(const std::string& yaml) {
    ServerProcessOptions o;
    o.configText = loopbackConfig(yaml);
    o.modulesDir = kModulesDir;
    return o;
}

inline HeaderList bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

}  // namespace cpa::test::proxy
