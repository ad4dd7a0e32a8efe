#pragma once
// Routes that bring an authorization result back (oauth.md §3, §5):
// provider callbacks on the main port, POST /oauth-callback, get-auth-status.
#include "login/login_engine.hpp"

#include <cpa/sdk/http.hpp>

#include <memory>

namespace cpa::oauth::login {

void registerCallbackRoutes(cpa::sdk::RouteRegistry& routes, const std::shared_ptr<LoginEngine>& engine);

}  // namespace cpa::oauth::login
