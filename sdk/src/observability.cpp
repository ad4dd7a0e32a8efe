#include <cpa/sdk/observability.hpp>

namespace cpa::sdk {

// Key functions: one vtable and type_info in libcpa_sdk.so for every module.
RequestObserver::~RequestObserver() = default;
ServerGauges::~ServerGauges() = default;
ManagementAccess::~ManagementAccess() = default;
MetricSources::~MetricSources() = default;

std::string renderMetricLabels(std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
    std::string out;
    for (const auto& [k, v] : pairs) {
        if (!out.empty()) out += ',';
        out += k;
        out += "=\"";
        for (const char c : v) {
            if (c == '\\') {
                out += "\\\\";
            } else if (c == '"') {
                out += "\\\"";
            } else if (c == '\n') {
                out += "\\n";
            } else {
                out += c;
            }
        }
        out += '"';
    }
    return out;
}

}  // namespace cpa::sdk
