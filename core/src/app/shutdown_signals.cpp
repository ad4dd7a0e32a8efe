#include "app/shutdown_signals.hpp"

#include <cerrno>
#include <csignal>
#include <pthread.h>

namespace cpa::core {
namespace {

sigset_t waitedSignals() noexcept {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    return set;
}

}  // namespace

void blockShutdownSignals() noexcept {
    const sigset_t set = waitedSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    struct sigaction ignore{};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, nullptr);
}

int waitForShutdownSignal() noexcept {
    const sigset_t set = waitedSignals();
    int sig = 0;
    while (sigwait(&set, &sig) != 0) {
        // sigwait only fails for an invalid set; keep waiting rather than exit.
    }
    return sig;
}

const char* signalName(int signal) noexcept {
    switch (signal) {
        case SIGTERM: return "SIGTERM";
        case SIGINT: return "SIGINT";
        case SIGHUP: return "SIGHUP";
        default: return "signal";
    }
}

}  // namespace cpa::core
