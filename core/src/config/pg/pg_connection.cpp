#include "config/pg/pg_connection.hpp"

#include <libpq-fe.h>

namespace cpa::core::pg {
namespace {

/// libpq ends its messages with a newline; ours go into one log line.
std::string trimmed(const char* s) {
    std::string out = s != nullptr ? s : "";
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    for (char& c : out) {
        if (c == '\n') c = ' ';
    }
    return out;
}

}  // namespace

PgResult::PgResult(pg_result* r) : result_(r, &PQclear) {}

int PgResult::rows() const { return PQntuples(result_.get()); }

std::optional<std::string> PgResult::value(int row, int column) const {
    if (row >= rows() || column >= PQnfields(result_.get()) || PQgetisnull(result_.get(), row, column)) {
        return std::nullopt;
    }
    return std::string(PQgetvalue(result_.get(), row, column),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::string describeDsn(const std::string& dsn) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(dsn.c_str(), &err);
    if (opts == nullptr) {
        PQfreemem(err);
        return "PostgreSQL (unparsable connection string)";
    }
    std::string host = "localhost", port = "5432", db;
    for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
        if (o->val == nullptr || *o->val == '\0') continue;
        const std::string k = o->keyword;
        if (k == "host" || k == "hostaddr") host = o->val;
        if (k == "port") port = o->val;
        if (k == "dbname") db = o->val;
    }
    PQconninfoFree(opts);
    return "PostgreSQL " + host + ":" + port + "/" + db;
}

PgConnection::PgConnection(const std::string& dsn) {
    // Later entries win: the DSN (expanded from `dbname`) overrides our defaults.
    // Keepalives notice a vanished server on an idle connection; a writer that
    // stops mid-transaction (SIGSTOP, a hung host) holds the config row at most
    // 30 s, and a write waits at most 5 s for it (then 503).
    const char* keys[] = {"connect_timeout", "application_name", "keepalives_idle", "keepalives_interval",
                          "keepalives_count", "options", "dbname", nullptr};
    const char* values[] = {"5", "cpa-server", "10", "5", "3",
                            "-c lock_timeout=5s -c idle_in_transaction_session_timeout=30s", dsn.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, 1);
    if (conn_ == nullptr) throw PgError("out of memory", true);
    if (PQstatus(conn_) != CONNECTION_OK) {
        const std::string message = trimmed(PQerrorMessage(conn_));
        PQfinish(conn_);
        conn_ = nullptr;
        throw PgError(message, true);
    }
}

PgConnection::~PgConnection() {
    if (conn_ != nullptr) PQfinish(conn_);
}

bool PgConnection::ok() const { return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK; }

int PgConnection::socket() const { return conn_ != nullptr ? PQsocket(conn_) : -1; }

PgResult PgConnection::exec(const std::string& sql, const std::vector<std::string>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const std::string& p : params) values.push_back(p.c_str());
    // Without parameters the simple protocol: a migration is several statements.
    PgResult result(values.empty() ? PQexec(conn_, sql.c_str())
                                   : PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                                  values.data(), nullptr, nullptr, 0));
    const ExecStatusType st = PQresultStatus(result.raw());
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return result;
    const bool lost = PQstatus(conn_) != CONNECTION_OK;
    throw PgError(trimmed(lost ? PQerrorMessage(conn_) : PQresultErrorMessage(result.raw())), lost);
}

std::vector<std::string> PgConnection::takeNotifications() {
    std::vector<std::string> out;
    if (PQconsumeInput(conn_) == 0) throw PgError(trimmed(PQerrorMessage(conn_)), true);
    while (PGnotify* n = PQnotifies(conn_)) {
        out.emplace_back(n->extra != nullptr ? n->extra : "");
        PQfreemem(n);
    }
    return out;
}

}  // namespace cpa::core::pg
