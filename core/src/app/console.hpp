#pragma once
// The program's own messages (not log lines): one write(2) each, so a line
// reaches a pipe whole and unbuffered.
#include <string>

namespace cpa::core {

void writeStderr(const std::string& text) noexcept;
void writeStdout(const std::string& text) noexcept;
/// "cpa-server: <message>\n" on stderr.
void printError(const std::string& message) noexcept;

}  // namespace cpa::core
