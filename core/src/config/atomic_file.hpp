#pragma once
// Whole-file replacement that a crash or a concurrent reader never sees half
// done: temp file in the same directory → write → fsync → rename → fsync dir.
#include <stdexcept>
#include <string>

namespace cpa::core {

/// Reads a whole file. Throws std::system_error ("open <path>: <OS reason>").
std::string readWholeFile(const std::string& path);

/// Atomically replaces `path` with `content`. The temp file gets the mode
/// (and, when permitted, the owner) of the existing file. On failure the
/// temp file is removed and std::runtime_error carries the OS reason.
void writeFileAtomically(const std::string& path, const std::string& content);

}  // namespace cpa::core
