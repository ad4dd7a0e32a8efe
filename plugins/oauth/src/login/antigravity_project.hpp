#pragma once
// The Antigravity account's Code Assist project (oauth-executors.md §5.3),
// shared by the login and the token refresh: loadCodeAssist, else
// onboardUser with the default tier, polled up to 5 times.
#include <cpa/sdk/value.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace cpa::oauth::login {

/// One authenticated JSON POST to `url`; throws on a transport failure or a non-2xx answer.
using CodeAssistPost = std::function<cpa::sdk::Value(const std::string& url, const cpa::sdk::Value& body)>;

/// The project, or "" when Code Assist names none (`done` without one, or
/// five polls without `done`). `pause` waits between polls (false: stop).
/// Exceptions of `post` propagate.
std::string discoverAntigravityProject(const std::string& codeAssistUrl, const CodeAssistPost& post,
                                       const std::function<bool()>& pause);

/// The headers Antigravity sends on these calls besides the token.
const std::vector<std::pair<std::string, std::string>>& antigravityCodeAssistHeaders();

}  // namespace cpa::oauth::login
