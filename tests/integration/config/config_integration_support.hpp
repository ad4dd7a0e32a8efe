#pragma once
// A cpa-server with only the config module, a management key and helpers
// that read config.yaml back from disk.
#include "http_client.hpp"
#include "server_process.hpp"

#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>

namespace cpa::config::itest {

inline constexpr const char* kKey = "integration-key";

/// host/port/modules/secret-key lines followed by `extra`.
std::string baseConfig(const std::string& extra = "");

class ConfigServer {
public:
    explicit ConfigServer(const std::string& configText = baseConfig());

    cpa::test::HttpResponse request(const std::string& method, const std::string& path, const std::string& body = {});
    cpa::test::HttpResponse get(const std::string& path) { return request("GET", path); }
    /// Below /v0/management, with the key.
    cpa::test::HttpResponse mgmt(const std::string& method, const std::string& suffix, const std::string& body = {}) {
        return request(method, "/v0/management" + suffix, body);
    }

    std::string fileText() const;
    /// config.yaml parsed from disk (throws on invalid YAML).
    YAML::Node fileYaml() const;
    /// The remote-management block exactly as on disk (the hashed secret).
    std::string remoteManagementBlock() const;
    /// A document keeping the file-only settings, plus `extra` YAML lines.
    std::string documentWith(const std::string& extra) const;

    cpa::test::ServerProcess& process() { return *process_; }
    std::uint16_t port() const { return process_->port(); }

private:
    std::unique_ptr<cpa::test::ServerProcess> process_;
    std::unique_ptr<cpa::test::HttpClient> client_;
};

}  // namespace cpa::config::itest
