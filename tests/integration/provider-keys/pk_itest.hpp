#pragma once
// Helpers of the provider-keys integration suites: a server with a management
// secret, management calls, and config.yaml read back from disk as JSON.
#include "integration_support.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <thread>
#include <string>

namespace cpa::pktest {

using namespace cpa::test;

inline const HeaderList kAuth = {{"Authorization", "Bearer pk-secret"}};
inline const std::string kMgmt = "/v0/management";
inline const std::string kOk = R"(200 {"status":"ok"})";

/// YAML as compact JSON: plain true/false/integers raw, every other scalar a string.
inline std::string yamlJson(const YAML::Node& n) {
    switch (n.Type()) {
    case YAML::NodeType::Map: {
        std::string out = "{";
        for (auto it = n.begin(); it != n.end(); ++it) {
            if (out.size() > 1) out += ",";
            out += "\"" + it->first.as<std::string>() + "\":" + yamlJson(it->second);
        }
        return out + "}";
    }
    case YAML::NodeType::Sequence: {
        std::string out = "[";
        for (const auto& item : n) out += (out.size() > 1 ? "," : "") + yamlJson(item);
        return out + "]";
    }
    case YAML::NodeType::Scalar: {
        const std::string s = n.Scalar();
        const bool plain = n.Tag() == "?";
        const bool number = !s.empty() && s.find_first_not_of("-0123456789") == std::string::npos;
        if (plain && (s == "true" || s == "false" || number)) return s;
        std::string q = "\"";
        for (char c : s) q += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
        return q + "\"";
    }
    default: return "null";
    }
}

class PkServer {
public:
    explicit PkServer(const std::string& configText, std::string modulesDir = kModulesDir) {
        ServerProcessOptions o;
        o.configText = configText;
        o.modulesDir = std::move(modulesDir);
        process = std::make_unique<ServerProcess>(o);
        client = std::make_unique<HttpClient>("127.0.0.1", process->port());
    }

    /// "status body" of a management call.
    std::string run(const std::string& method, const std::string& path, const std::string& body = {}) {
        auto r = client->request(method, kMgmt + path, kAuth, body);
        return std::to_string(r.status) + " " + r.body;
    }
    HttpResponse call(const std::string& method, const std::string& path, const std::string& body = {}) {
        return client->request(method, kMgmt + path, kAuth, body);
    }
    std::string fileText() const { return readFile(process->configPath()); }
    /// One top-level key of config.yaml, read from disk, as JSON ("absent" when missing).
    std::string file(const std::string& key) const {
        const YAML::Node root = YAML::Load(fileText());
        const YAML::Node n = root[key];
        return n ? yamlJson(n) : "absent";
    }
    /// Stops the server (SIGTERM) and returns config.yaml as it was left.
    std::string stop() {
        process->sigterm();
        EXPECT_EQ(process->waitExit(std::chrono::seconds(10)), 0) << process->stderrText();
        return fileText();
    }

    std::unique_ptr<ServerProcess> process;
    std::unique_ptr<HttpClient> client;
};

/// A loopback config with the management secret and `extra` YAML.
inline std::string pkConfig(const std::string& extra = "") {
    return loopbackConfig("# operator comment kept by writes\nremote-management:\n  secret-key: \"pk-secret\"\n" + extra);
}

}  // namespace cpa::pktest
