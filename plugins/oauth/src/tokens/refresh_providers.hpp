#pragma once
// The refresh calls of the Google (Gemini CLI, Antigravity) and Kimi
// credentials (oauth-executors.md §2.4, §2.5; issue 21): the token endpoint's
// request per provider and the metadata a successful answer leaves in the
// file. Claude and Codex live in refresh_call.cpp.
#include "login/login_settings.hpp"
#include "proxy_choice.hpp"
#include "upstream_client.hpp"

#include <cpa/sdk/value.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cpa::oauth {

/// gemini-cli, antigravity, kimi.
bool extraRefreshProvider(std::string_view provider);

/// The token endpoint's request for an extra provider (nullopt for others).
std::optional<OutboundRequest> extraRefreshRequest(std::string_view provider, const std::string& refreshToken,
                                                   const sdk::Value& metadata, const login::LoginSettings& settings);

/// `previous` with the token response merged as oauth-executors.md §2.4 lists
/// it (gemini-cli: the `token` object, as the login writes it). Throws
/// std::runtime_error for a body without `access_token`.
sdk::Value mergeExtraRefreshed(std::string_view provider, const sdk::Value& previous, const std::string& body,
                               std::chrono::system_clock::time_point now);

/// After an Antigravity refresh of a file without a `project_id` member (an
/// empty one counts as present): the project discovery of
/// oauth-executors.md §5.3 with the new token, within `budget`; a found
/// project is added to `metadata`. Failures change nothing (the original only
/// logs them). Other providers: nothing.
void discoverMissingProject(std::string_view provider, sdk::Value& metadata, const login::LoginSettings& settings,
                            const std::optional<ProxySpec>& proxy, std::chrono::milliseconds budget,
                            CancelToken* cancel);

}  // namespace cpa::oauth
