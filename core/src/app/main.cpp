// cpa-server entry point. Everything else lives in cpa_core (app/server_app).
#include "app/server_app.hpp"
#include "app/shutdown_signals.hpp"

#include <string>
#include <vector>

int main(int argc, char** argv) {
    // Before anything can start a thread: every thread inherits this mask.
    cpa::core::blockShutdownSignals();
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
    return cpa::core::serverMain(args);
}
