#pragma once
// A thin owner of one libpq connection (PGconn is not thread-safe: one owner
// thread at a time). libpq is the reference client, packaged by Debian
// (libpq-dev), and the only one offering LISTEN/NOTIFY on a socket we poll.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace cpa::core::pg {

/// A failed statement or connection. `connectionLost` tells a server or
/// network failure (retry later) from a refused statement.
class PgError : public std::runtime_error {
public:
    PgError(const std::string& message, bool connectionLost)
        : std::runtime_error(message), connectionLost_(connectionLost) {}
    bool connectionLost() const noexcept { return connectionLost_; }

private:
    bool connectionLost_;
};

/// Rows of text values (NULL reads as nullopt).
class PgResult {
public:
    explicit PgResult(pg_result* r);
    int rows() const;
    std::optional<std::string> value(int row, int column) const;
    std::string text(int row, int column) const { return value(row, column).value_or(""); }
    pg_result* raw() const noexcept { return result_.get(); }

private:
    std::shared_ptr<pg_result> result_;
};

/// "PostgreSQL host:port/dbname" of a connection string, without user or
/// password (for every message that names the database).
std::string describeDsn(const std::string& dsn);

class PgConnection {
public:
    /// Connects (connect_timeout 5 s, keepalives, lock_timeout 5 s and
    /// idle_in_transaction_session_timeout 30 s unless the DSN sets them). Throws PgError.
    explicit PgConnection(const std::string& dsn);
    ~PgConnection();

    /// Runs one statement with text parameters ($1, $2, ...). Throws PgError.
    PgResult exec(const std::string& sql, const std::vector<std::string>& params = {});
    bool ok() const;
    /// The socket to poll for notifications (-1 when closed).
    int socket() const;
    /// Reads what arrived on the socket; the channel payloads of NOTIFYs received.
    std::vector<std::string> takeNotifications();

    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

private:
    pg_conn* conn_ = nullptr;
};

}  // namespace cpa::core::pg
