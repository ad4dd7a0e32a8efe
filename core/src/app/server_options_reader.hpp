#pragma once
#include "http/server_options.hpp"

#include <cpa/sdk/config.hpp>

namespace cpa::core {

/// `host`, `port` (absent → 8317, 0 → ephemeral), the `http-server` block and
/// `trusted-proxies`. Types and ranges were validated when the file loaded;
/// out-of-range values still fall back to the defaults here;
/// `defaultMaxThreads` stands for an absent `http-server.max-threads`
/// (start-up passes defaultMaxThreads() of the open-file limit).
ServerOptions readServerOptions(const sdk::ConfigSnapshot& snapshot, int defaultMaxThreads = ServerOptions{}.maxThreads);

/// "host:port" as printed in the listening line ("" → 0.0.0.0).
std::string listenAddressText(const std::string& host, unsigned port);

}  // namespace cpa::core
