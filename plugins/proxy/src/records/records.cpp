#include "records/records.hpp"

#include <cpa/sdk/time_format.hpp>

namespace cpa::proxy {

namespace {

// Records are built once per request on the hot path: members are moved
// into pre-sized vectors instead of copied out of initializer lists.
using Members = sdk::Value::Object;

sdk::Value headerArray(const std::vector<std::pair<std::string, std::string>>& headers) {
    sdk::Value::Array out;
    out.reserve(headers.size());
    for (const auto& [k, v] : headers) {
        sdk::Value::Array pair;
        pair.reserve(2);
        pair.emplace_back(k);
        pair.emplace_back(v);
        out.emplace_back(std::move(pair));
    }
    return sdk::Value(std::move(out));
}

template <std::size_t N>
sdk::Value objectOf(std::pair<const char*, sdk::Value> (&&members)[N]) {
    Members out;
    out.reserve(N);
    for (auto& [k, v] : members) out.emplace_back(k, std::move(v));
    return sdk::Value(std::move(out));
}

}  // namespace

sdk::Value usageRecord(const AttemptReport& r, const RequestContext& ctx) {
    const UpstreamCredential& up = *r.credential->upstream;
    const TokenUsage& u = r.usage;
    return objectOf({{"provider", up.providerKey},
                     {"model", r.upstreamModel},
                     {"api_key", ctx.principal},
                     {"endpoint", ctx.endpoint},
                     {"auth_id", up.id},
                     {"auth_index", up.authIndex},
                     // An OAuth file is named by its account (oauth-executors.md §1.3 `email`), never its token.
                     {"auth_type", up.oauth ? "oauth" : "apikey"},
                     {"source", up.oauth ? r.credential->label : up.apiKey},
                     {"request_id", ctx.requestId},
                     {"requested_at", sdk::formatRfc3339(sdk::localTime(r.requestedAt), sdk::TimeFraction::Millis)},
                     {"latency_ms", static_cast<std::int64_t>(r.latency.count())},
                     {"failed", r.failed},
                     {"tokens", objectOf({{"input_tokens", u.input},
                                          {"output_tokens", u.output},
                                          {"reasoning_tokens", u.reasoning},
                                          {"cached_tokens", u.cached},
                                          {"total_tokens", u.total}})}});
}

sdk::Value requestCompletedRecord(const sdk::Request& req, std::chrono::system_clock::time_point receivedAt,
                                  const CompletedResponse& response, const std::vector<AttemptTrace>& attempts) {
    std::string query;
    for (const auto& [k, v] : req.queryParams()) query += (query.empty() ? "" : "&") + k + "=" + v;
    sdk::Value::Array list;
    list.reserve(attempts.size());
    for (const AttemptTrace& t : attempts) {
        const AttemptLog& l = t.log;
        sdk::Value::Array errors(l.errors.begin(), l.errors.end());
        list.push_back(objectOf(
            {{"timestamp", l.timestamp},
             {"url", l.url},
             {"method", l.method},
             {"auth", objectOf({{"provider", t.credential->providerKey},
                                {"auth_id", t.credential->id},
                                {"label", t.credential->label},
                                {"type", "api_key"},
                                {"value", t.credential->upstream->apiKey}})},
             {"headers", headerArray(l.requestHeaders)},
             {"body", l.requestBody},
             {"response", objectOf({{"timestamp", l.responseTimestamp},
                                    {"status", l.responseStatus},
                                    {"headers", headerArray(l.responseHeaders)},
                                    {"body", l.responseBody},
                                    {"errors", sdk::Value(std::move(errors))}})}}));
    }
    Members record;
    record.reserve(15);
    record.emplace_back("request_id", req.requestId());
    record.emplace_back("method", std::string(sdk::methodName(req.method())));
    record.emplace_back("path", req.path());
    record.emplace_back("query", std::move(query));
    record.emplace_back("timestamp", sdk::formatRfc3339(sdk::localTime(receivedAt), sdk::TimeFraction::Nanos));
    record.emplace_back("downstream_transport", "http");
    record.emplace_back("request_headers", headerArray(req.headers()));
    record.emplace_back("request_body", req.body());
    if (response.status) record.emplace_back("status", *response.status);
    record.emplace_back("response_headers", headerArray(response.headers));
    record.emplace_back("response_body", response.body);
    record.emplace_back("upstream_errors", sdk::Value::array());
    if (!attempts.empty()) record.emplace_back("upstream_transport", "http");
    record.emplace_back("attempts", sdk::Value(std::move(list)));
    return sdk::Value(std::move(record));
}

}  // namespace cpa::proxy
