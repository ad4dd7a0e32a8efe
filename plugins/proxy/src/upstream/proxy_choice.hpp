#pragma once
// Which proxy one upstream request uses (data-plane §7.1).
#include "upstream/url.hpp"

#include <optional>
#include <string>

namespace cpa::sdk {
class Logger;
}

namespace cpa::proxy::upstream {

/// nullopt = connect directly. Precedence: per-credential, then global;
/// `direct`/`none` force a direct connection (ignoring the environment);
/// otherwise, when nothing is configured and `useEnvironment`, the usual
/// HTTP(S)_PROXY / NO_PROXY variables apply (never for loopback targets).
/// An invalid configured proxy is logged and ignored.
std::optional<Url> chooseProxy(const std::string& credentialProxy, const std::string& globalProxy,
                               const Url& target, bool useEnvironment, cpa::sdk::Logger& log);

}  // namespace cpa::proxy::upstream
