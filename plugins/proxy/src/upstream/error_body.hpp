#pragma once
// The generic error body (data-plane §9.1) and the terminal in-stream error
// events per client format (data-plane.md §9.3).
#include "exec/executor.hpp"

#include <string>

namespace cpa::proxy::upstream {

/// JSON text passes through verbatim; anything else is wrapped in
/// {"error":{"message","type","code"}} by status. Empty text → reason phrase.
std::string genericErrorBody(int status, const std::string& text);

/// The final event written when a committed stream fails (status 500 when none).
std::string terminalErrorEvent(ClientFormat format, bool geminiAltMode, int status, const std::string& text);

}  // namespace cpa::proxy::upstream
