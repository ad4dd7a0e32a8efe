#include "pg_cluster.hpp"

#include <libpq-fe.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

namespace cpa::test {
namespace fs = std::filesystem;
namespace {

constexpr const char* kTestUser = "cpa-pgtest";
constexpr const char* kInstallHint = "run scripts/install-deps (it installs Debian's postgresql)";

std::uint16_t freeLoopbackPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0;
    ::close(fd);
    if (!ok) throw std::runtime_error("no free loopback port");
    return ntohs(a.sin_port);
}

/// fork + exec `argv` as uid/gid (when non-zero), output appended to `logPath`.
/// The child dies with the test process (PR_SET_PDEATHSIG, set after the
/// credential change, which would clear it).
pid_t spawn(const std::vector<std::string>& argv, uid_t uid, gid_t gid, const fs::path& logPath) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid > 0) return pid;
    const int log = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log >= 0) {
        ::dup2(log, 1);
        ::dup2(log, 2);
        ::close(log);
    }
    if (uid != 0) {
        if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) ::_exit(126);
    }
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::execv(args[0], args.data());
    ::_exit(127);
}

int waitFor(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

using Conn = std::unique_ptr<PGconn, decltype(&PQfinish)>;

Conn connectTo(const std::string& dsn) {
    Conn c(PQconnectdb(dsn.c_str()), &PQfinish);
    if (PQstatus(c.get()) != CONNECTION_OK) {
        throw std::runtime_error("cannot connect to the test cluster: " + std::string(PQerrorMessage(c.get())));
    }
    return c;
}

std::string run(const std::string& dsn, const std::string& sql) {
    Conn c = connectTo(dsn);
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(c.get(), sql.c_str()), &PQclear);
    const ExecStatusType st = PQresultStatus(r.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        throw std::runtime_error("SQL failed: " + sql + ": " + PQresultErrorMessage(r.get()));
    }
    if (st == PGRES_TUPLES_OK && PQntuples(r.get()) > 0 && !PQgetisnull(r.get(), 0, 0)) {
        return PQgetvalue(r.get(), 0, 0);
    }
    return {};
}

}  // namespace

fs::path postgresBinDir() {
    if (const char* env = std::getenv("CPA_PG_BINDIR"); env != nullptr && *env != '\0') return env;
    std::vector<std::pair<int, fs::path>> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        const fs::path bin = entry.path() / "bin";
        if (!fs::exists(bin / "initdb") || !fs::exists(bin / "postgres")) continue;
        const std::string v = entry.path().filename().string();
        found.emplace_back(std::atoi(v.c_str()), bin);
    }
    if (found.empty()) {
        throw std::runtime_error(std::string("PostgreSQL server not found (no /usr/lib/postgresql/<version>/bin "
                                             "with initdb and postgres): ") + kInstallHint);
    }
    return std::max_element(found.begin(), found.end())->second;
}

PgCluster::PgCluster(std::string database) : bin_(postgresBinDir()), database_(std::move(database)) {
    if (::geteuid() == 0) {
        const passwd* pw = ::getpwnam(kTestUser);
        if (pw == nullptr) {
            throw std::runtime_error(std::string("running as root, and the user ") + kTestUser +
                                     " that runs the test clusters is missing: " + kInstallHint);
        }
        uid_ = pw->pw_uid;
        gid_ = pw->pw_gid;
        if (::chown(dir_.path().c_str(), uid_, gid_) != 0) throw std::runtime_error("cannot chown " + dir_.path().string());
    }
    initdb();
    port_ = freeLoopbackPort();
    start();
    exec("");  // connectivity
    run(dsnFor("postgres"), "CREATE DATABASE \"" + database_ + "\"");
}

PgCluster::~PgCluster() {
    try {
        stop();
    } catch (...) {
    }
}

void PgCluster::initdb() {
    const std::vector<std::string> argv{(bin_ / "initdb").string(), "-D", (dir_.path() / "data").string(),
                                        "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync",
                                        "--no-instructions"};
    const int rc = waitFor(spawn(argv, uid_, gid_, dir_.path() / "initdb.log"));
    if (rc != 0) throw std::runtime_error("initdb failed (" + std::to_string(rc) + "): " + readFile(dir_.path() / "initdb.log"));
}

void PgCluster::start() {
    if (pid_ > 0) return;
    const std::vector<std::string> argv{(bin_ / "postgres").string(), "-D", (dir_.path() / "data").string(),
                                        "-k", dir_.path().string(), "-p", std::to_string(port_),
                                        "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                                        "-c", "max_connections=200"};
    pid_ = spawn(argv, uid_, gid_, dir_.path() / "server.log");
    waitReady(std::chrono::seconds(30));
}

void PgCluster::waitReady(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::string dsn = dsnFor("postgres");
    while (std::chrono::steady_clock::now() < deadline) {
        if (PQping(dsn.c_str()) == PQPING_OK) return;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("postgres exited at start: " + serverLog());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("postgres not ready within the timeout: " + serverLog());
}

void PgCluster::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGINT);  // fast shutdown: sessions are cut, data kept
    waitFor(pid_);
    pid_ = -1;
}

std::string PgCluster::dsn() const { return dsnFor(database_); }

std::string PgCluster::dsnFor(const std::string& database) const {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " user=postgres dbname=" + database +
           " connect_timeout=5";
}

void PgCluster::exec(const std::string& sql) const {
    if (!sql.empty()) run(dsn(), sql);
    else run(dsnFor("postgres"), "SELECT 1");
}

std::string PgCluster::scalar(const std::string& sql) const { return run(dsn(), sql); }

std::string PgCluster::serverLog() const { return readFile(dir_.path() / "server.log"); }

}  // namespace cpa::test
