#pragma once
// The records the data plane publishes (docs/events.md): `usage.record` per
// upstream attempt (data-plane §11.1) and `request.completed` per client
// request (data-plane.md §12). Pure builders; the module publishes them.
#include "routing/conductor.hpp"

#include <cpa/sdk/http.hpp>
#include <cpa/sdk/services.hpp>
#include <cpa/sdk/value.hpp>

#include <optional>
#include <string>

namespace cpa::proxy {

using sdk::kTopicUsageRecord;

struct RequestContext {
    std::string principal;  ///< client key, "" when auth is off
    std::string endpoint;   ///< "<METHOD> <route pattern>"
    std::string requestId;
};

sdk::Value usageRecord(const AttemptReport& report, const RequestContext& ctx);

struct CompletedResponse {
    std::optional<int> status;
    HeaderList headers;
    std::string body;
};

sdk::Value requestCompletedRecord(const sdk::Request& request, std::chrono::system_clock::time_point receivedAt,
                                  const CompletedResponse& response, const std::vector<AttemptTrace>& attempts);

}  // namespace cpa::proxy
