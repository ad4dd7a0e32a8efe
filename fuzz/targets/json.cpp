// JSON as clients and upstreams send it; what parses must write as JSON that
// parses again, and re-writing that must not change it.
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
            // What the writer produces always parses, and after one pass it is
            // a fixpoint. (Not the first pass: "-0" is an integer literal and
            // reads back as 0, where an underflowed -1e-400 was the double -0.)
            const std::string once = cpa::sdk::toJson(cpa::sdk::parseJson(text, mode));
            const std::string twice = cpa::sdk::toJson(cpa::sdk::parseJson(once));
            const std::string thrice = cpa::sdk::toJson(cpa::sdk::parseJson(twice));
            if (twice != thrice) std::abort();
        } catch (const cpa::sdk::JsonError&) {
        }
    }
    return 0;
}
