#include <cpa/sdk/observability.hpp>

namespace cpa::sdk {

// Key functions: one vtable and type_info in libcpa_sdk.so for every module.
RequestObserver::~RequestObserver() = default;
ServerGauges::~ServerGauges() = default;
ManagementAccess::~ManagementAccess() = default;
MetricSources::~MetricSources() = default;

}  // namespace cpa::sdk
