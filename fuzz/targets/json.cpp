// JSON as clients and upstreams send it; what parses must survive a write and
// a second parse unchanged.
#include <cpa/sdk/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto mode : {cpa::sdk::JsonMode::Document, cpa::sdk::JsonMode::FirstValue}) {
        try {
            const cpa::sdk::Value v = cpa::sdk::parseJson(text, mode);
            const std::string once = cpa::sdk::toJson(v);
            const std::string twice = cpa::sdk::toJson(cpa::sdk::parseJson(once));
            if (once != twice) std::abort();
        } catch (const cpa::sdk::JsonError&) {
        }
    }
    return 0;
}
