#pragma once
// `cpa-server --check-config` / `-t`: everything start-up checks about the
// config — syntax, every module's declared keys and validators, unknown keys
// with did-you-mean, dropped provider entries, an open proxy — without
// serving and without writing anything.
#include "app/cli.hpp"

#include <filesystem>

namespace cpa::core {

/// Prints the problems on stderr and a verdict on stdout. Returns 0 when the
/// server would start with this config (warnings included), 1 when it would
/// refuse it. The config file and its directory are never written: the store
/// is opened read-only, and the modules (configured, never started) get a
/// temporary state directory that is removed before returning.
int checkConfig(const CliOptions& options, const std::filesystem::path& binaryDir);

}  // namespace cpa::core
