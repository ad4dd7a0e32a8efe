#include "upstream_metrics.hpp"

#include <array>
#include <string>
#include <string_view>

namespace cpa::metrics {

namespace {

constexpr std::array<std::string_view, UpstreamMetrics::kKinds> kKindNames = {"prompt", "completion", "cached",
                                                                              "reasoning"};

}  // namespace

void UpstreamMetrics::record(const sdk::Value& r) noexcept {
    if (!r.isObject()) return;
    try {
        // One pass over the members (a record has a dozen): cheaper than a lookup per field.
        static const std::string kEmpty;
        const std::string* provider = &kEmpty;
        const std::string* model = &kEmpty;
        const std::string* authIndex = &kEmpty;
        bool failed = false;
        const sdk::Value* tokens = nullptr;
        const sdk::Value* latencyMs = nullptr;
        for (const auto& [k, v] : r.asObject()) {
            if (k == "provider" && v.isString()) {
                provider = &v.asString();
            } else if (k == "model" && v.isString()) {
                model = &v.asString();
            } else if (k == "auth_index" && v.isString()) {
                authIndex = &v.asString();
            } else if (k == "failed" && v.isBool()) {
                failed = v.asBool();
            } else if (k == "tokens" && v.isObject()) {
                tokens = &v;
            } else if (k == "latency_ms" && v.isInt()) {
                latencyMs = &v;
            }
        }
        const std::string_view outcome = failed ? "failure" : "success";

        const std::uint64_t series = LabelHash().add(*provider).add(*authIndex).add(*model).value();
        const std::uint64_t key = LabelHash().add(series).add(outcome).value();
        if (auto* row = attempts_.find(key, [&] {
                return renderLabels(
                    {{"provider", *provider}, {"auth_index", *authIndex}, {"model", *model}, {"outcome", outcome}});
            }))
            row->add(0, 1);

        if (tokens) {
            std::array<std::uint64_t, kKinds> n{};
            for (const auto& [k, v] : tokens->asObject()) {
                if (!v.isInt() || v.asInt() <= 0) continue;
                const auto count = static_cast<std::uint64_t>(v.asInt());
                if (k == "input_tokens") {
                    n[kPrompt] = count;
                } else if (k == "output_tokens") {
                    n[kCompletion] = count;
                } else if (k == "cached_tokens") {
                    n[kCached] = count;
                } else if (k == "reasoning_tokens") {
                    n[kReasoning] = count;
                }
            }
            if (auto* row = tokens_.find(series, [&] {
                    return renderLabels({{"provider", *provider}, {"auth_index", *authIndex}, {"model", *model}});
                }))
                for (std::size_t k = 0; k < kKinds; ++k)
                    if (n[k] != 0) row->add(k, n[k]);
        }

        if (latencyMs)
            if (auto* row = latency_.find(LabelHash().add(*provider).value(),
                                          [&] { return renderLabels({{"provider", *provider}}); }))
                observe(*row, latencyMs->asInt() * 1'000'000);
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
