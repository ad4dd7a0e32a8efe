// config.yaml text as an operator or a management client (PUT /config.yaml)
// supplies it: the parser with its size, node and alias limits.
#include "config/config_parse.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        (void)cpa::core::parseConfigYaml(text, cpa::core::YamlLimits{});
    } catch (const cpa::core::ConfigTextError&) {
        // Refused with a message: what every path answers for a bad document.
    }
    return 0;
}
