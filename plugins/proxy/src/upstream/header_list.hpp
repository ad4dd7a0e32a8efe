#pragma once
// Case-insensitive operations on ordered header lists.
#include "exec/executor.hpp"

#include <string>
#include <string_view>

namespace cpa::proxy::upstream {

/// First value of `name`, "" when absent.
std::string getHeader(const HeaderList& headers, std::string_view name);
bool hasHeader(const HeaderList& headers, std::string_view name);
/// Replaces every `name` by one `name: value` (kept at the first one's position).
void setHeader(HeaderList& headers, std::string_view name, std::string value);
void removeHeader(HeaderList& headers, std::string_view name);

}  // namespace cpa::proxy::upstream
