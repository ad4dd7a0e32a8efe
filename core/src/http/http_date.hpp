#pragma once
// The Date header value (RFC 9110 IMF-fixdate), formatted once per second per
// thread instead of once per response.
#include <string_view>

namespace cpa::core {

/// "Fri, 27 Nov 2026 07:02:52 GMT" for now; valid until the next call on this thread.
std::string_view httpDateNow();

}  // namespace cpa::core
