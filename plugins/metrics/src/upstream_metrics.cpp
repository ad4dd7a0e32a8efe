#include "upstream_metrics.hpp"

#include <array>
#include <string>
#include <string_view>

namespace cpa::metrics {

namespace {

const std::string& str(const sdk::Value& record, std::string_view key) noexcept {
    static const std::string kEmpty;
    const sdk::Value* v = record.find(key);
    return v && v->isString() ? v->asString() : kEmpty;
}

std::uint64_t count(const sdk::Value* obj, std::string_view key) noexcept {
    const sdk::Value* v = obj ? obj->find(key) : nullptr;
    if (!v || !v->isInt()) return 0;
    const std::int64_t n = v->asInt();
    return n > 0 ? static_cast<std::uint64_t>(n) : 0;
}

constexpr std::array<std::string_view, UpstreamMetrics::kKinds> kKindNames = {"prompt", "completion", "cached",
                                                                              "reasoning"};

}  // namespace

void UpstreamMetrics::record(const sdk::Value& r) noexcept {
    try {
        const std::string& provider = str(r, "provider");
        const std::string& model = str(r, "model");
        const std::string& authIndex = str(r, "auth_index");
        const sdk::Value* failed = r.find("failed");
        const std::string_view outcome = failed && failed->isBool() && failed->asBool() ? "failure" : "success";

        const std::uint64_t series = LabelHash().add(provider).add(authIndex).add(model).value();
        const std::uint64_t key = LabelHash().add(series).add(outcome).value();
        if (auto* row = attempts_.find(key, [&] {
                return renderLabels(
                    {{"provider", provider}, {"auth_index", authIndex}, {"model", model}, {"outcome", outcome}});
            }))
            row->add(0, 1);

        const sdk::Value* tokens = r.find("tokens");
        const std::array<std::uint64_t, kKinds> n = {count(tokens, "input_tokens"), count(tokens, "output_tokens"),
                                                     count(tokens, "cached_tokens"),
                                                     count(tokens, "reasoning_tokens")};
        if (auto* row = tokens_.find(series, [&] {
                return renderLabels({{"provider", provider}, {"auth_index", authIndex}, {"model", model}});
            }))
            for (std::size_t k = 0; k < kKinds; ++k)
                if (n[k] != 0) row->add(k, n[k]);

        if (const sdk::Value* ms = r.find("latency_ms"); ms && ms->isInt())
            if (auto* row = latency_.find(LabelHash().add(provider).value(),
                                          [&] { return renderLabels({{"provider", provider}}); }))
                observe(*row, ms->asInt() * 1'000'000);
    } catch (...) {
        // A malformed record is not counted; the scrape must never fail for it.
    }
}

void UpstreamMetrics::write(PrometheusText& out) const {
    out.family("cpa_upstream_attempts_total", "counter",
               "Upstream attempts by provider, credential auth index, model and outcome.");
    attempts_.forEach([&](const auto& row) { out.sample("cpa_upstream_attempts_total", row.labels, row.get(0)); });
    out.family("cpa_upstream_tokens_total", "counter",
               "Tokens reported by upstreams, by provider, auth index, model and kind.");
    tokens_.forEach([&](const auto& row) {
        for (std::size_t k = 0; k < kKinds; ++k) {
            const std::string sep = row.labels.empty() ? "" : ",";
            out.sample("cpa_upstream_tokens_total", row.labels + sep + "kind=\"" + std::string(kKindNames[k]) + "\"",
                       row.get(k));
        }
    });
    out.family("cpa_upstream_attempt_duration_seconds", "histogram",
               "Upstream attempt latency (call start to the usage record), by provider.");
    latency_.forEach([&](const auto& row) { out.histogram("cpa_upstream_attempt_duration_seconds", row); });
}

}  // namespace cpa::metrics
