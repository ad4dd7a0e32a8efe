#include "app/access_guards_factory.hpp"

#include "auth/client_key_guard.hpp"
#include "auth/management_guard.hpp"
#include "config/secret_hash.hpp"

#include <cpa/sdk/text.hpp>

#include <cstdlib>
#include <string>

namespace cpa::core {

namespace {

std::string trimmed(const char* s) { return s ? sdk::trimAscii(s) : std::string(); }

}  // namespace

AccessGuards makeAccessGuards(const GuardInputs& in) {
    ManagementSecrets secrets;
    secrets.envSecret = trimmed(std::getenv("MANAGEMENT_PASSWORD"));
    if (!secrets.envSecret.empty() && in.logger) {
        in.logger->info("management API: MANAGEMENT_PASSWORD is set; it is accepted from any address");
    }
    AccessGuards guards;
    guards.management = std::make_shared<ManagementGuard>(
        in.config, std::move(secrets), in.build,
        [logger = in.logger](const std::string& plain, const std::string& hash) {
            // Counted by tests (and visible to operators with `debug: true`); never the key.
            if (logger) logger->debug("management key: bcrypt verification");
            return bcryptVerify(plain, hash);
        });
    // Client API keys (data-plane §3), re-read from each published snapshot.
    guards.clientKey = std::make_shared<ClientKeyGuard>(in.config);
    return guards;
}

}  // namespace cpa::core
