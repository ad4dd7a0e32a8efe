#include "config_integration_support.hpp"

#include "temp_dir.hpp"

#include <sstream>
#include <stdexcept>

namespace cpa::config::itest {

std::string baseConfig(const std::string& extra) {
    return std::string("host: \"127.0.0.1\"\nport: 0\nmodules: [\"config\"]\nremote-management:\n  secret-key: \"") +
           kKey + "\"\n" + extra;
}

ConfigServer::ConfigServer(const std::string& configText) {
    cpa::test::ServerProcessOptions o;
    o.configText = configText;
    o.modulesDir = CPA_CONFIG_TEST_MODULES_DIR;
    process_ = std::make_unique<cpa::test::ServerProcess>(std::move(o));
    client_ = std::make_unique<cpa::test::HttpClient>("127.0.0.1", process_->port());
}

cpa::test::HttpResponse ConfigServer::request(const std::string& method, const std::string& path, const std::string& body) {
    return client_->request(method, path, {{"Authorization", std::string("Bearer ") + kKey}}, body);
}

std::string ConfigServer::fileText() const { return cpa::test::readFile(process_->configPath()); }

YAML::Node ConfigServer::fileYaml() const { return YAML::Load(fileText()); }

std::string ConfigServer::remoteManagementBlock() const {
    const YAML::Node rm = fileYaml()["remote-management"];
    std::string out = "remote-management:\n";
    for (const auto& kv : rm) {
        out += "  " + kv.first.as<std::string>() + ": \"" + kv.second.as<std::string>() + "\"\n";
    }
    // allow-remote is a boolean: quoted it would be a string.
    std::string::size_type pos = out.find("allow-remote: \"");
    if (pos != std::string::npos) {
        const auto end = out.find('\n', pos);
        const std::string value = out.substr(pos + 15, end - pos - 16);
        out.replace(pos, end - pos, "allow-remote: " + value);
    }
    return out;
}

std::string ConfigServer::documentWith(const std::string& extra) const {
    return "host: \"127.0.0.1\"\nport: 0\nmodules: [\"config\"]\n" + remoteManagementBlock() + extra;
}

}  // namespace cpa::config::itest
