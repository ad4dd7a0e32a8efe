#pragma once
// Shared helpers of the integration tests.
#include "http_client.hpp"
#include "server_process.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>

namespace cpa::test {

inline constexpr const char* kModulesDir = CPA_TEST_MODULES_DIR;
inline constexpr const char* kBadModulesDir = CPA_TEST_BAD_MODULES_DIR;

/// Loopback, ephemeral port, plus `extra` YAML lines.
inline std::string loopbackConfig(const std::string& extra = "") {
    return "host: \"127.0.0.1\"\nport: 0\n" + extra;
}

/// A server with the testkit fixture module.
inline ServerProcessOptions testkitServer(const std::string& extraConfig = "") {
    ServerProcessOptions o;
    o.configText = loopbackConfig(extraConfig);
    o.modulesDir = kModulesDir;
    return o;
}

/// Parses a JSON object body; throws on anything else.
inline Poco::JSON::Object::Ptr jsonObject(const std::string& body) {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

inline std::size_t countOccurrences(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t pos = 0; (pos = text.find(needle, pos)) != std::string::npos; pos += needle.size()) ++n;
    return n;
}

}  // namespace cpa::test
