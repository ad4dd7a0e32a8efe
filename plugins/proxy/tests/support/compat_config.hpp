#pragma once
// The config most routing tests start from.
#include <string>
#include <vector>

namespace cpa::proxy::testing {

/// One OpenAI-compatible provider "acme" with `keys` and model alias "m" → "up-m".
inline std::string compat(const std::vector<std::string>& keys, const std::string& extra = "",
                   const std::string& models = R"([{"name":"up-m","alias":"m"}])") {
    std::string entries;
    for (const auto& k : keys) entries += (entries.empty() ? "" : ",") + std::string(R"({"api-key":")") + k + "\"}";
    return R"({"openai-compatibility":[{"name":"Acme","base-url":"http://127.0.0.1:1","api-key-entries":[)" +
           entries + R"(],"models":)" + models + "}]" + (extra.empty() ? "" : "," + extra) + "}";
}

}  // namespace cpa::proxy::testing
