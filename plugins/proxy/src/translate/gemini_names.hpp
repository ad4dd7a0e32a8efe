#pragma once
// Gemini function names (docs/spec/translation.md §2.6).
#include "translate/codec.hpp"

#include <map>
#include <set>
#include <string>
#include <string_view>

namespace cpa::proxy::translate::gemini {

/// Characters outside [A-Za-z0-9_.:-] → '_'; a leading character that is not
/// a letter or '_' gets a '_' prefix; at most 64 characters. "" stays "".
std::string sanitizeName(std::string_view name);

/// Sanitises the names of one request consistently (declarations, calls,
/// results, tool_choice) and records every changed one in
/// exchange.toolNameBack so answers can restore it. Two names that sanitise
/// alike get distinct suffixes, so the way back stays unambiguous.
class ToolNames {
public:
    explicit ToolNames(Exchange& exchange) : exchange_(exchange) {}
    std::string sent(const std::string& original);

private:
    Exchange& exchange_;
    std::map<std::string, std::string, std::less<>> forward_;
    std::set<std::string, std::less<>> used_;
};

}  // namespace cpa::proxy::translate::gemini
