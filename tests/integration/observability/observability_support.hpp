#pragma once
// Helpers of the observability suite.
#include "fake_upstream.hpp"
#include "proxy/proxy_test_support.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>

namespace cpa::test::obs {

using proxy::eventually;

inline const HeaderList kMgmt = {{"Authorization", "Bearer mgmt-secret"}};

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// A client API key, a management key, and one OpenAI-compatible provider
/// (model alias "m") pointing at `up`.
inline std::string proxyConfig(const FakeUpstream& up, const std::string& extra = "", bool remoteManagement = false) {
    return loopbackConfig("api-keys:\n  - \"sk-client-1\"\n"
                          "remote-management:\n  secret-key: \"mgmt-secret\"\n" +
                          std::string(remoteManagement ? "  allow-remote: true\n" : "") +
                          "request-log: true\n"
                          "openai-compatibility:\n"
                          "  - name: \"Acme\"\n"
                          "    base-url: \"" + up.baseUrl() + "/v1\"\n"
                          "    api-key-entries:\n"
                          "      - api-key: \"sk-up-1\"\n"
                          "    models:\n"
                          "      - name: \"up-model\"\n"
                          "        alias: \"m\"\n" + extra);
}

/// A server on `configText` with this suite's modules.
inline ServerProcessOptions server(const std::string& configText) {
    ServerProcessOptions o = proxy::proxyServer("");
    o.configText = configText;
    return o;
}

inline HttpResponse chat(HttpClient& c, bool stream = false, HeaderList extra = {}) {
    HeaderList h = {{"Authorization", "Bearer sk-client-1"}, {"Content-Type", "application/json"}};
    h.insert(h.end(), extra.begin(), extra.end());
    return c.request("POST", "/v1/chat/completions", h,
                     std::string(R"({"model":"m","stream":)") + (stream ? "true" : "false") +
                         R"(,"messages":[{"role":"user","content":"hi"}]})");
}

/// The value of the sample whose name and labels are exactly `series`
/// (e.g. `cpa_x_total{a="b"}`); nullopt when the scrape has no such line.
inline std::optional<double> sampleValue(const std::string& scrape, const std::string& series) {
    std::istringstream in(scrape);
    std::string line;
    while (std::getline(in, line)) {
        if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ')
            return std::stod(line.substr(series.size() + 1));
    }
    return std::nullopt;
}

}  // namespace cpa::test::obs
