#pragma once
// The core's enforcement point for a route's Access class. The HTTP pipeline
// asks the guard registered for the route's Access value; management and
// client-key authentication implement this interface.
#include <cpa/sdk/http.hpp>

namespace cpa::core {

class AccessGuard {
public:
    virtual ~AccessGuard() = default;
    /// Continue to let the request through; Stop after writing a rejection.
    virtual sdk::Next check(sdk::Request& req, sdk::Response& res) = 0;
};

}  // namespace cpa::core
