#pragma once
// Classification of upstream errors (data-plane §6.8, §6.10).
#include <string_view>

namespace cpa::proxy {

/// 400/422 whose text names an unsupported model: falls through to the next credential.
bool isModelSupportError(int status, std::string_view text);
/// The `store=false` 404 of the Responses API: request-scoped, nothing recorded.
bool isRequestScopedNotFound(int status, std::string_view text);
/// Stops every fallback (no other credential, pool model or outer retry).
bool isRequestInvalid(int status, std::string_view text);
/// Statuses that re-run routing before the first streamed byte (data-plane.md §6.11).
bool isBootstrapRetryable(int status);

}  // namespace cpa::proxy
