#pragma once
// What an operator must know at start-up (and from --check-config) that the
// config does not say by itself: an open proxy reachable from the network,
// whether the management API is on and how to turn it on.
#include <cpa/sdk/config.hpp>
#include <cpa/sdk/module.hpp>

#include <string>
#include <vector>

namespace cpa::core {

struct StartupNotice {
    sdk::LogLevel level = sdk::LogLevel::Info;
    std::string text;
};

/// True for 127.0.0.0/8, ::1 (bracketed or not) and "localhost"; "" (every
/// interface) and anything else is not.
bool isLoopbackHost(const std::string& host);

/// The notices for `snap`: a warning when the proxy API listens beyond
/// loopback with no client key (anyone who reaches the port spends the
/// provider credentials), and one line on the management API (off: how to
/// enable it; on: who may use it). `managementPasswordSet`: MANAGEMENT_PASSWORD
/// is in the environment. `configFile` is named in the advice.
std::vector<StartupNotice> startupNotices(const sdk::ConfigSnapshot& snap, const std::string& configFile,
                                          bool managementPasswordSet);

}  // namespace cpa::core
