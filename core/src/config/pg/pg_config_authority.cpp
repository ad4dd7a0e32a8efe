#include "config/pg/pg_config_authority.hpp"

#include "config/pg/pg_connection.hpp"
#include "config/pg/pg_migrations.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace cpa::core::pg {
namespace {

constexpr int kPollMs = 1000;  // the fallback when a NOTIFY is missed: every instance re-checks each second
constexpr int kMaxBackoffMs = 10000;

class PgConfigAuthority final : public ConfigAuthority {
public:
    PgConfigAuthority(std::string dsn, std::string instance, sdk::Logger& logger, std::unique_ptr<PgConnection> conn)
        : dsn_(std::move(dsn)), description_(describeDsn(dsn_)), instance_(std::move(instance)), logger_(logger),
          writeConn_(std::move(conn)), wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

    ~PgConfigAuthority() override {
        stopWatching();
        if (wake_ >= 0) ::close(wake_);
    }

    SharedDocument read() override {
        std::lock_guard lock(writeMutex_);
        try {
            PgResult r = connection().exec("SELECT version, text FROM cpa_config WHERE id = 1");
            return SharedDocument{std::stoull(r.text(0, 0)), r.text(0, 1)};
        } catch (const PgError& e) {
            throw unavailable(e);
        }
    }

    std::optional<std::uint64_t> transact(
        const std::function<std::optional<std::string>(const SharedDocument&)>& edit) override {
        std::lock_guard lock(writeMutex_);
        SharedDocument current;
        try {
            PgConnection& c = connection();
            c.exec("BEGIN");
            // The row lock serialises writers of every instance: the edit
            // always applies to the latest committed document (no lost update).
            PgResult r = c.exec("SELECT version, text FROM cpa_config WHERE id = 1 FOR UPDATE");
            current = SharedDocument{std::stoull(r.text(0, 0)), r.text(0, 1)};
        } catch (const PgError& e) {
            rollback();  // e.g. a lock timeout leaves the transaction aborted
            throw unavailable(e);
        }
        std::optional<std::string> next;
        try {
            next = edit(current);
        } catch (...) {
            rollback();
            throw;
        }
        if (!next) {
            rollback();
            return std::nullopt;
        }
        try {
            // Never reconnect here: a new connection is outside the transaction.
            if (!writeConn_) throw PgError("connection lost during the transaction", true);
            PgConnection& c = *writeConn_;
            const std::string version = std::to_string(current.version + 1);
            c.exec("UPDATE cpa_config SET version = $1, text = $2, updated_at = now(), updated_by = $3 WHERE id = 1",
                   {version, *next, instance_});
            c.exec("SELECT pg_notify('cpa_config', $1)", {version});  // delivered on commit only
            c.exec("COMMIT");
            return current.version + 1;
        } catch (const PgError& e) {
            rollback();
            throw unavailable(e);
        }
    }

    void startWatching(std::function<void()> onChange) override {
        stopWatching();
        stop_ = false;
        watcher_ = std::thread([this, fn = std::move(onChange)] { watchLoop(fn); });
    }

    void stopWatching() noexcept override {
        if (!watcher_.joinable()) return;
        stop_ = true;
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto n = ::write(wake_, &one, sizeof one);
        watcher_.join();
    }

    std::string describe() const override { return description_; }

private:
    /// The write connection, reconnected when it was lost. Throws PgError.
    PgConnection& connection() {
        if (!writeConn_ || !writeConn_->ok()) {
            writeConn_.reset();
            writeConn_ = std::make_unique<PgConnection>(dsn_);
        }
        return *writeConn_;
    }

    void rollback() noexcept {
        try {
            if (writeConn_ && writeConn_->ok()) writeConn_->exec("ROLLBACK");
        } catch (...) {
            writeConn_.reset();
        }
    }

    StoreUnavailable unavailable(const PgError& e) {
        if (e.connectionLost()) writeConn_.reset();
        return StoreUnavailable(description_ + (e.connectionLost() ? " is not reachable: " : ": ") + e.what());
    }

    void watchLoop(const std::function<void()>& onChange) {
        std::unique_ptr<PgConnection> conn;
        std::optional<std::uint64_t> seen;
        int backoff = 1000;
        bool outage = false;
        while (!stop_) {
            try {
                if (!conn) {
                    conn = std::make_unique<PgConnection>(dsn_);
                    conn->exec("LISTEN cpa_config");
                    if (outage) logger_.info("config store: " + description_ + " reachable again");
                    outage = false;
                    backoff = 1000;
                }
                const std::uint64_t v =
                    std::stoull(conn->exec("SELECT version FROM cpa_config WHERE id = 1").text(0, 0));
                if (seen != v) {
                    seen = v;
                    onChange();
                }
                if (waitForEvent(conn->socket(), kPollMs)) conn->takeNotifications();
            } catch (const PgError& e) {
                conn.reset();
                if (!outage) {
                    logger_.error("config store: " + description_ + " is not reachable (" + e.what() +
                                  "); serving the last configuration, management writes answer 503 until it is back");
                }
                outage = true;
                seen.reset();  // re-read after reconnecting: writes may have happened meanwhile
                waitForEvent(-1, backoff);
                backoff = std::min(backoff * 2, kMaxBackoffMs);
            } catch (const std::exception& e) {
                logger_.error(std::string("config store watcher: ") + e.what());
                waitForEvent(-1, kPollMs);
            }
        }
    }

    /// Waits up to `ms` for `fd` to become readable or for stopWatching.
    bool waitForEvent(int fd, int ms) {
        pollfd fds[2] = {{wake_, POLLIN, 0}, {fd, POLLIN, 0}};
        const int n = ::poll(fds, fd >= 0 ? 2 : 1, ms);
        return n > 0 && fd >= 0 && (fds[1].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
    }

    const std::string dsn_;
    const std::string description_;
    const std::string instance_;
    sdk::Logger& logger_;
    std::mutex writeMutex_;  // guards writeConn_: one statement sequence at a time
    std::unique_ptr<PgConnection> writeConn_;
    const int wake_;
    std::atomic<bool> stop_{false};
    std::thread watcher_;
};

}  // namespace

std::shared_ptr<ConfigAuthority> openPgConfigAuthority(const std::string& dsn, std::string instance,
                                                       sdk::Logger& logger, int attempts) {
    const std::string description = describeDsn(dsn);
    int backoff = 1000;
    for (int attempt = 1;; ++attempt) {
        try {
            auto conn = std::make_unique<PgConnection>(dsn);
            migrate(*conn);
            logger.info("config store: " + description + " (schema version " +
                        std::to_string(latestSchemaVersion()) + ")");
            return std::make_shared<PgConfigAuthority>(dsn, std::move(instance), logger, std::move(conn));
        } catch (const PgError& e) {
            if (!e.connectionLost()) throw StoreUnavailable(description + ": schema migration failed: " + e.what());
            if (attempts > 0 && attempt >= attempts) {
                throw StoreUnavailable("cannot reach " + description + ": " + e.what());
            }
            logger.error("config store: cannot reach " + description + ": " + e.what() + "; retrying in " +
                         std::to_string(backoff / 1000) + " s");
        } catch (const std::runtime_error& e) {
            throw StoreUnavailable(description + ": " + e.what());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(backoff));
        backoff = std::min(backoff * 2, kMaxBackoffMs);
    }
}

}  // namespace cpa::core::pg
