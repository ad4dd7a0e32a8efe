#pragma once
// The records the data plane publishes (docs/events.md): `usage.record` per
// upstream attempt (data-plane §11.1) and `request.completed` per client
// request (§12). Pure builders; the module publishes them.
#include "routing/conductor.hpp"

#include <cpa/sdk/http.hpp>
#include <cpa/sdk/value.hpp>

#include <optional>
#include <string>

namespace cpa::proxy {

inline constexpr std::string_view kTopicUsageRecord = "usage.record";

struct RequestContext {
    std::string principal;  ///< client key, "" when auth is off
    std::string endpoint;   ///< "<METHOD> <route pattern>"
    std::string requestId;
};

sdk::Value usageRecord(const AttemptReport& report, const RequestContext& ctx);

/// The log label of a credential (§12): gemini-apikey, claude-apikey,
/// codex-apikey, vertex-apikey, or the compat provider's name.
std::string credentialLabel(const Credential& credential);

struct CompletedResponse {
    std::optional<int> status;
    HeaderList headers;
    std::string body;
};

sdk::Value requestCompletedRecord(const sdk::Request& request, std::chrono::system_clock::time_point receivedAt,
                                  const CompletedResponse& response, const std::vector<AttemptTrace>& attempts);

}  // namespace cpa::proxy
