#include "request_metrics.hpp"

#include <string>

namespace cpa::metrics {

namespace {

bool startsWith(std::string_view s, std::string_view p) noexcept { return s.substr(0, p.size()) == p; }

// A client may send any token as a method: only the known ones become labels.
std::string_view methodLabel(std::string_view m) noexcept {
    for (const std::string_view known : {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
        if (m == known) return known;
    return "OTHER";
}

}  // namespace

std::string_view routeFamily(const sdk::RequestSample& s) noexcept {
    if (!s.routed) return "unmatched";
    if (s.access == sdk::Access::Management) return "management";
    const std::string_view p = s.routePattern;
    if (p == "/metrics") return "metrics";
    if (startsWith(p, "/api/provider")) return "amp";
    if (startsWith(p, "/v1beta")) return "gemini";
    if (startsWith(p, "/v1/messages")) return "claude";
    if (startsWith(p, "/v1/")) return "openai";
    return "other";
}

void RequestMetrics::onRequest(const sdk::RequestSample& s) noexcept {
    const std::string_view family = routeFamily(s);
    // Labels use the route pattern, never the path: the set of series stays
    // bounded whatever clients send.
    const std::string_view route = s.routed ? s.routePattern : std::string_view();
    const std::string_view method = methodLabel(s.method);
    const std::uint64_t key = LabelHash().add(method).add(route).add(static_cast<std::uint64_t>(s.status)).value();
    if (auto* row = requests_.find(key, [&] {
            const std::string code = std::to_string(s.status);
            return renderLabels({{"family", family}, {"route", route}, {"method", method}, {"code", code}});
        }))
        row->add(0, 1);

    const std::string_view stream = s.streamed ? "true" : "false";
    const std::uint64_t hkey = LabelHash().add(family).add(stream).value();
    auto labels = [&] { return renderLabels({{"family", family}, {"stream", stream}}); };
    if (auto* row = latency_.find(hkey, labels)) observe(*row, s.latencyNs);
    if (s.firstByteNs >= 0)
        if (auto* row = firstByte_.find(hkey, labels)) observe(*row, s.firstByteNs);
}

void RequestMetrics::write(PrometheusText& out) const {
    out.family("cpa_http_requests_total", "counter", "Client requests by route family, route, method and status.");
    requests_.forEach([&](const auto& row) { out.sample("cpa_http_requests_total", row.labels, row.get(0)); });
    out.family("cpa_http_request_duration_seconds", "histogram",
               "Client request latency, head read to response sent (streams: to the last byte).");
    latency_.forEach([&](const auto& row) { out.histogram("cpa_http_request_duration_seconds", row); });
    out.family("cpa_http_time_to_first_byte_seconds", "histogram",
               "Head read to the first response byte written (streams: the head and first event).");
    firstByte_.forEach([&](const auto& row) { out.histogram("cpa_http_time_to_first_byte_seconds", row); });
}

}  // namespace cpa::metrics
