#pragma once
// SIGTERM/SIGINT end the server. They are blocked in every thread (the mask is
// inherited, so this must run before any thread exists) and received with
// sigwait() by the main thread, so no handler ever runs in an arbitrary thread.

namespace cpa::core {

/// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread and ignores SIGPIPE
/// (a client that hangs up must not kill the process).
void blockShutdownSignals() noexcept;

/// Waits for SIGTERM or SIGINT; returns the signal number. SIGHUP is taken
/// too and reported as is (the caller decides what it means).
int waitForShutdownSignal() noexcept;

/// "SIGTERM", "SIGINT", … for logging.
const char* signalName(int signal) noexcept;

}  // namespace cpa::core
