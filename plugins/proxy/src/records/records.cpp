#include "records/records.hpp"

#include "records/timestamps.hpp"

namespace cpa::proxy {

namespace {

sdk::Value headerArray(const std::vector<std::pair<std::string, std::string>>& headers) {
    sdk::Value out = sdk::Value::array();
    for (const auto& [k, v] : headers) out.push(sdk::Value(sdk::Value::Array{sdk::Value(k), sdk::Value(v)}));
    return out;
}

}  // namespace

sdk::Value usageRecord(const AttemptReport& r, const RequestContext& ctx) {
    const UpstreamCredential& up = *r.credential->upstream;
    const TokenUsage& u = r.usage;
    return sdk::Value::object({{"provider", up.providerKey},
                               {"model", r.upstreamModel},
                               {"api_key", ctx.principal},
                               {"endpoint", ctx.endpoint},
                               {"auth_id", up.id},
                               {"auth_index", up.authIndex},
                               {"auth_type", "apikey"},
                               {"source", up.apiKey},
                               {"request_id", ctx.requestId},
                               {"requested_at", rfc3339Local(r.requestedAt, 3)},
                               {"latency_ms", static_cast<std::int64_t>(r.latency.count())},
                               {"failed", r.failed},
                               {"tokens", sdk::Value::object({{"input_tokens", u.input},
                                                              {"output_tokens", u.output},
                                                              {"reasoning_tokens", u.reasoning},
                                                              {"cached_tokens", u.cached},
                                                              {"total_tokens", u.total}})}});
}

std::string credentialLabel(const Credential& c) {
    if (c.family == "gemini-api-key") return "gemini-apikey";
    if (c.family == "claude-api-key") return "claude-apikey";
    if (c.family == "codex-api-key") return "codex-apikey";
    if (c.family == "vertex-api-key") return "vertex-apikey";
    return c.ownerName;
}

sdk::Value requestCompletedRecord(const sdk::Request& req, std::chrono::system_clock::time_point receivedAt,
                                  const CompletedResponse& response, const std::vector<AttemptTrace>& attempts) {
    std::string query;
    for (const auto& [k, v] : req.queryParams()) query += (query.empty() ? "" : "&") + k + "=" + v;
    sdk::Value record = sdk::Value::object({{"request_id", req.requestId()},
                                            {"method", std::string(sdk::methodName(req.method()))},
                                            {"path", req.path()},
                                            {"query", query},
                                            {"timestamp", rfc3339Local(receivedAt, 9)},
                                            {"downstream_transport", "http"},
                                            {"request_headers", headerArray(req.headers())},
                                            {"request_body", req.body()}});
    if (response.status) record.set("status", *response.status);
    record.set("response_headers", headerArray(response.headers));
    record.set("response_body", response.body);
    record.set("upstream_errors", sdk::Value::array());
    sdk::Value list = sdk::Value::array();
    for (const AttemptTrace& t : attempts) {
        const AttemptLog& l = t.log;
        sdk::Value errors = sdk::Value::array();
        for (const std::string& e : l.errors) errors.push(e);
        list.push(sdk::Value::object(
            {{"timestamp", l.timestamp},
             {"url", l.url},
             {"method", l.method},
             {"auth", sdk::Value::object({{"provider", t.credential->providerKey},
                                          {"auth_id", t.credential->id},
                                          {"label", credentialLabel(*t.credential)},
                                          {"type", "api_key"},
                                          {"value", t.credential->upstream->apiKey}})},
             {"headers", headerArray(l.requestHeaders)},
             {"body", l.requestBody},
             {"response", sdk::Value::object({{"timestamp", l.responseTimestamp},
                                              {"status", l.responseStatus},
                                              {"headers", headerArray(l.responseHeaders)},
                                              {"body", l.responseBody},
                                              {"errors", errors}})}}));
    }
    if (!attempts.empty()) record.set("upstream_transport", "http");
    record.set("attempts", list);
    return record;
}

}  // namespace cpa::proxy
