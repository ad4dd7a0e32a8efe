#pragma once
// A throwaway PostgreSQL cluster for the `postgres` tests: Debian's server
// binaries, a temp data directory, a loopback port, a Unix socket in the temp
// dir. Never a mock: the store is tested against the real engine.
#include "temp_dir.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <sys/types.h>

namespace cpa::test {

/// The directory holding initdb and postgres: $CPA_PG_BINDIR, else the newest
/// /usr/lib/postgresql/<version>/bin that has both. Throws std::runtime_error
/// telling to run scripts/install-deps when there is none.
std::filesystem::path postgresBinDir();

/// initdb + postgres + CREATE DATABASE on construction; the server is stopped
/// and the directory removed on destruction (also when a test fails). As root,
/// initdb and postgres run as the user `cpa-pgtest` (scripts/install-deps
/// creates it): PostgreSQL refuses to run as root.
class PgCluster {
public:
    explicit PgCluster(std::string database = "cpa");
    ~PgCluster();

    /// libpq connection string of the test database over TCP (127.0.0.1).
    std::string dsn() const;
    /// The same for another database of this cluster (e.g. "postgres").
    std::string dsnFor(const std::string& database) const;
    std::uint16_t port() const noexcept { return port_; }

    /// Fast shutdown (SIGINT), waiting for the server to exit. Data is kept.
    void stop();
    /// Starts the stopped server again on the same port and waits until ready.
    /// Call it from a thread that outlives the server: the server is killed
    /// when the thread that started it ends (PR_SET_PDEATHSIG, so that a
    /// crashed test leaves no server behind).
    void start();
    bool running() const noexcept { return pid_ > 0; }
    /// Runs one SQL command in the test database; throws with the server's message.
    void exec(const std::string& sql) const;
    /// The first column of the first row of `sql` ("" for none / NULL).
    std::string scalar(const std::string& sql) const;

    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;

private:
    void initdb();
    void waitReady(std::chrono::milliseconds timeout);
    std::string serverLog() const;

    TempDir dir_{"cpa-pg"};
    std::filesystem::path bin_;
    std::string database_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
    uid_t uid_ = 0;  // who runs the server (0: the current user, not root)
    gid_t gid_ = 0;
};

}  // namespace cpa::test
