#pragma once
// Whole-file replacement that a crash or a concurrent reader never sees half
// done: temp file in the same directory → write → fsync → rename → fsync dir.
#include <cstddef>
#include <stdexcept>
#include <string>

namespace cpa::core {

/// Reads a whole file, or its first `maxBytes` bytes. Throws
/// std::system_error ("open <path>: <OS reason>").
std::string readWholeFile(const std::string& path, std::size_t maxBytes = static_cast<std::size_t>(-1));

/// Atomically replaces `path` with `content`. The temp file gets the mode
/// (and, when permitted, the owner) of the existing file. On failure the
/// temp file is removed and std::runtime_error carries the OS reason.
void writeFileAtomically(const std::string& path, const std::string& content);

/// Removes the temp files writeFileAtomically(path) leaves behind when the
/// process dies mid-write (".<name>.tmp-<hex>" beside `path`; they may hold
/// secrets). Only regular files with exactly that name pattern are removed;
/// symlinks are neither followed nor removed. Returns how many were removed.
std::size_t removeStaleTempFiles(const std::string& path);

}  // namespace cpa::core
