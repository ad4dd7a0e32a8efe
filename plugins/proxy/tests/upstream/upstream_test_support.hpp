#pragma once
// Helpers for driving makeHttpExecutor against cpa::test::FakeUpstream.
#include "exec/executor.hpp"
#include "fake_upstream.hpp"
#include "upstream/http_executor.hpp"

#include <cpa/sdk/credential_sources.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/module.hpp>

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cpa::proxy::testing {

class QuietLogger : public cpa::sdk::Logger {
public:
    void log(cpa::sdk::LogLevel, std::string_view m) override {
        std::lock_guard lock(mutex);
        lines.emplace_back(m);
    }
    std::mutex mutex;
    std::vector<std::string> lines;
};

/// Records what the executor writes; can pretend the client left.
class RecordingSink : public ClientSink {
public:
    bool begin(int s, const HeaderList& h) override {
        if (goneAfterWrites == 0) return false;
        status = s;
        headers = h;
        begunFlag = true;
        return true;
    }
    bool write(std::string_view bytes) override {
        if (goneAfterWrites >= 0 && static_cast<int>(writes.size()) >= goneAfterWrites) return false;
        writes.emplace_back(bytes);
        times.push_back(std::chrono::steady_clock::now());
        return true;
    }
    bool begun() const override { return begunFlag; }
    /// The client hangs up (without a failed write) once `hangUpAt` has passed.
    bool clientGone() const override { return hangUpAt && std::chrono::steady_clock::now() >= *hangUpAt; }
    std::optional<std::chrono::steady_clock::time_point> hangUpAt;

    std::string all() const {
        std::string out;
        for (const auto& w : writes) out += w;
        return out;
    }
    std::string header(const std::string& name) const {
        for (const auto& [k, v] : headers)
            if (k == name) return v;
        return {};
    }

    int status{};
    HeaderList headers;
    std::vector<std::string> writes;
    std::vector<std::chrono::steady_clock::time_point> times;
    bool begunFlag{};
    int goneAfterWrites{-1};  ///< >= 0: writes beyond this many fail (client gone)
};

/// A credential of wire format `wire` (sdk::wire::k…).
inline std::shared_ptr<UpstreamCredential> credential(std::string_view wire, const std::string& baseUrl,
                                                      const std::string& key = "sk-test") {
    auto c = std::make_shared<UpstreamCredential>();
    c->wire = std::string(wire);
    c->providerKey = std::string(wire);
    c->baseUrl = baseUrl;
    c->apiKey = key;
    c->id = std::string(wire) + ":" + key;
    return c;
}

inline ExecRequest request(ClientFormat format, std::shared_ptr<UpstreamCredential> cred, std::string body,
                           bool stream = false) {
    ExecRequest r;
    r.format = format;
    r.stream = stream;
    r.body = std::move(body);
    r.clientModel = "client-model";
    r.upstreamModel = "up-model";
    r.credential = std::move(cred);
    r.timeout = std::chrono::seconds(5);
    r.globalProxyUrl = "direct";  // tests never use environment proxies
    return r;
}

inline cpa::test::UpstreamReply jsonReply(std::string body, int status = 200,
                                          std::vector<std::pair<std::string, std::string>> headers = {}) {
    cpa::test::UpstreamReply r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

inline cpa::test::UpstreamReply sseReply(std::vector<std::string> events) {
    cpa::test::UpstreamReply r;
    r.events = std::move(events);
    return r;
}

inline cpa::sdk::Value json(const std::string& text) { return cpa::sdk::parseJson(text); }

inline std::vector<std::string> sse(std::initializer_list<std::string> payloads) {
    std::vector<std::string> out;
    for (const auto& p : payloads) out.push_back("data: " + p + "\n\n");
    return out;
}

}  // namespace cpa::proxy::testing
