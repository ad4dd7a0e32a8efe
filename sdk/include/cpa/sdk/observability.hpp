#pragma once
// Observability services (issue 25). The core provides `cpa.ServerGauges/1`
// and `cpa.ManagementAccess/1` and calls the `cpa.RequestObserver/1` a module
// provides (the metrics module); `cpa.MetricSources/1` (provided by the
// metrics module) lets any module add its own counters to a scrape.
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/http.hpp>
#include <cpa/sdk/services.hpp>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cpa::sdk {

/// One finished client request, as the core saw it. The views live only for
/// the call; `routePattern` is empty for a request no route matched.
struct RequestSample {
    std::string_view method;
    std::string_view routePattern;
    Access access = Access::Public;
    bool routed = false;
    int status = 0;
    std::int64_t latencyNs = 0;    ///< head read → response sent
    std::int64_t firstByteNs = -1; ///< head read → first response byte written; -1 when none was
    bool streamed = false;
};

/// Called by the core once per request, on the request's thread, after the
/// response was sent. Must be cheap and never block.
class CPA_SDK_API RequestObserver {
public:
    virtual ~RequestObserver();
    virtual void onRequest(const RequestSample& sample) noexcept = 0;
};

struct ServerGaugeValues {
    std::uint64_t openConnections = 0;
    std::uint64_t inFlightRequests = 0;
    std::uint64_t activeStreams = 0;
    std::uint64_t configReloads = 0;        ///< successful reloads of an external edit
    std::uint64_t configReloadFailures = 0; ///< external edits refused (old snapshot kept)
};

/// The core's own gauges and counters. Thread-safe.
class CPA_SDK_API ServerGauges {
public:
    virtual ~ServerGauges();
    virtual ServerGaugeValues read() const = 0;
};

/// The management API's access rule (key, local/remote, bans), for routes that
/// are Public but admit remote clients as management does (`/metrics`).
class CPA_SDK_API ManagementAccess {
public:
    virtual ~ManagementAccess();
    /// Continue when the request presents a valid management key under the
    /// management rules; Stop after writing the management API's refusal.
    virtual Next check(Request& req, Response& res) = 0;
};

/// One value a module contributes to a scrape: `name` a Prometheus metric name,
/// `labels` already rendered (`a="x",b="y"`, values escaped) or empty.
struct MetricSample {
    std::string name;
    std::string help;
    bool counter = true;  ///< counter, else gauge
    std::string labels;
    double value = 0;
};

/// Renders `name="value"` pairs for MetricSample::labels, values escaped as the
/// Prometheus text format wants (backslash, double quote, newline).
CPA_SDK_API std::string renderMetricLabels(
    std::initializer_list<std::pair<std::string_view, std::string_view>> pairs);

/// Registry of metric sources. A source is called on the scraping thread; the
/// returned handle unregisters it when destroyed (reset it in stop()).
class CPA_SDK_API MetricSources {
public:
    using Source = std::function<void(std::vector<MetricSample>& out)>;
    virtual ~MetricSources();
    virtual std::shared_ptr<void> add(Source source) = 0;
};

inline constexpr ServiceKey<RequestObserver> kRequestObserverService{"cpa.RequestObserver/1"};
inline constexpr ServiceKey<ServerGauges> kServerGaugesService{"cpa.ServerGauges/1"};
inline constexpr ServiceKey<ManagementAccess> kManagementAccessService{"cpa.ManagementAccess/1"};
inline constexpr ServiceKey<MetricSources> kMetricSourcesService{"cpa.MetricSources/1"};

}  // namespace cpa::sdk
