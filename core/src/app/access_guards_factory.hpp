#pragma once
// The seam where management and client-key authentication are plugged into
// the HTTP core (Foundation 2/2). A null guard makes the HTTP core answer the
// routes of that Access class with 404 and an empty body.
#include "http/http_server.hpp"

#include <cpa/sdk/config.hpp>
#include <cpa/sdk/module.hpp>

#include <memory>

namespace cpa::core {

struct GuardInputs {
    sdk::ConfigStore& config;
    const sdk::BuildInfo& build;
    std::shared_ptr<sdk::Logger> logger;  ///< "cpa.core"
};

/// Builds the guards for Access::Management and Access::ClientKey.
AccessGuards makeAccessGuards(const GuardInputs& in);

}  // namespace cpa::core
