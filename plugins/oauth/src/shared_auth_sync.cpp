#include "shared_auth_sync.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <stdexcept>

namespace cpa::oauth {
namespace {

using namespace std::chrono_literals;
constexpr auto kInterval = 500ms;
// Shared by every cpa build: serialises credential writes so versions commit in order.
constexpr const char* kWriteLock = "SELECT pg_advisory_xact_lock(7368004)";

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string lastError(PGconn* c) {
    std::string m = c != nullptr ? PQerrorMessage(c) : "out of memory";
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    return m;
}

Result exec(PGconn* c, const char* sql, std::initializer_list<const char*> params = {}) {
    const std::vector<const char*> p(params);
    Result r(p.empty() ? PQexec(c, sql)
                       : PQexecParams(c, sql, static_cast<int>(p.size()), nullptr, p.data(), nullptr, nullptr, 0),
             &PQclear);
    const ExecStatusType st = PQresultStatus(r.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw std::runtime_error(lastError(c));
    return r;
}

/// A name from the database is written into auth-dir only when it is a plain
/// file name there (the database is shared: never trust it with a path).
bool safeName(const std::string& name) {
    return !name.empty() && name[0] != '.' && name.find('/') == std::string::npos && hasJsonSuffix(name);
}

}  // namespace

SharedAuthSync::SharedAuthSync(std::shared_ptr<FileCredentialStore> store, std::string dsn, std::string description,
                               std::string instance, sdk::Logger& logger)
    : store_(std::move(store)), dsn_(std::move(dsn)), description_(std::move(description)),
      instance_(std::move(instance)), logger_(logger) {}

SharedAuthSync::~SharedAuthSync() {
    stop();
    if (conn_ != nullptr) PQfinish(conn_);
}

PGconn* SharedAuthSync::connection() {
    if (conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK) return conn_;
    if (conn_ != nullptr) PQfinish(conn_);
    const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {"5", "cpa-server oauth", dsn_.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, 1);
    if (PQstatus(conn_) != CONNECTION_OK) {
        const std::string m = lastError(conn_);
        PQfinish(conn_);
        conn_ = nullptr;
        throw std::runtime_error(description_ + " is not reachable: " + m);
    }
    return conn_;
}

void SharedAuthSync::initialSync() {
    std::lock_guard lock(syncMutex_);
    syncOnce(true);
    logger_.info("auth files shared through " + description_ + ": " + std::to_string(synced_.size()) + " file(s)");
}

void SharedAuthSync::syncOnce(bool initial) {
    pull(initial);
    push();
}

void SharedAuthSync::pull(bool initial) {
    const std::string seen = std::to_string(seenVersion_);
    Result r = exec(connection(), "SELECT name, content, version FROM cpa_credentials WHERE version > $1 ORDER BY version",
                    {seen.c_str()});
    for (int i = 0; i < PQntuples(r.get()); ++i) {
        const std::string name = PQgetvalue(r.get(), i, 0);
        seenVersion_ = std::stoll(PQgetvalue(r.get(), i, 2));
        if (!safeName(name)) continue;
        const ReadResult local = store_->dir().read(name);
        const bool present = local.error == FileError::None;
        const auto known = synced_.find(name);
        if (present && !initial && known != synced_.end() && local.content != known->second) {
            logger_.warning("auth file " + name + " changed here and on another instance; the other's is kept");
        }
        if (PQgetisnull(r.get(), i, 1)) {
            if (present) store_->remove(name);
            synced_.erase(name);
            continue;
        }
        const std::string content = PQgetvalue(r.get(), i, 1);
        if (!present || local.content != content) {
            try {
                store_->writeUploaded(name, content);
            } catch (const std::exception& e) {
                logger_.warning("auth file " + name + " from " + description_ + " not written: " + e.what());
                continue;
            }
        }
        synced_[name] = content;
    }
}

void SharedAuthSync::push() {
    std::set<std::string> local;
    for (const FileInfo& f : store_->dir().listJson()) {
        const ReadResult r = store_->dir().read(f.name);
        if (r.error != FileError::None) continue;
        local.insert(f.name);
        const auto known = synced_.find(f.name);
        if (known != synced_.end() && known->second == r.content) continue;
        upsert(f.name, &r.content);
        synced_[f.name] = r.content;
    }
    for (auto it = synced_.begin(); it != synced_.end();) {
        if (local.count(it->first) != 0) {
            ++it;
            continue;
        }
        upsert(it->first, nullptr);  // deleted here
        it = synced_.erase(it);
    }
}

void SharedAuthSync::upsert(const std::string& name, const std::string* content) {
    PGconn* c = connection();
    exec(c, "BEGIN");
    try {
        exec(c, kWriteLock);
        exec(c,
             "INSERT INTO cpa_credentials (name, content, version, updated_by)"
             " VALUES ($1, $2, nextval('cpa_credentials_version'), $3)"
             " ON CONFLICT (name) DO UPDATE SET content = EXCLUDED.content, version = EXCLUDED.version,"
             " updated_at = now(), updated_by = EXCLUDED.updated_by",
             {name.c_str(), content != nullptr ? content->c_str() : nullptr, instance_.c_str()});
        exec(c, "COMMIT");
    } catch (...) {
        if (PQstatus(c) == CONNECTION_OK) PQclear(PQexec(c, "ROLLBACK"));
        throw;
    }
}

void SharedAuthSync::start() {
    subscription_ = store_->subscribe([this]() noexcept {
        std::lock_guard lock(mutex_);
        dirty_ = true;
        wake_.notify_one();
    });
    thread_ = std::thread([this] { run(); });
}

void SharedAuthSync::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    subscription_.reset();
}

void SharedAuthSync::run() {
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, kInterval, [&] { return stopping_ || dirty_; });
            if (stopping_) return;
            dirty_ = false;
        }
        try {
            {
                std::lock_guard lock(syncMutex_);
                syncOnce(false);
            }
            if (outage_) logger_.info("auth files: " + description_ + " reachable again");
            outage_ = false;
        } catch (const std::exception& e) {
            if (!outage_) logger_.error(std::string("auth files not synchronised: ") + e.what() + "; retrying");
            outage_ = true;
        }
    }
}

void SharedAuthSync::exclusive(const std::string& name, std::chrono::milliseconds wait,
                               const std::function<void()>& body) {
    const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {"5", "cpa-server refresh", dsn_.c_str(), nullptr};
    std::unique_ptr<PGconn, decltype(&PQfinish)> c(PQconnectdbParams(keys, values, 1), &PQfinish);
    const std::string key = "cpa-refresh:" + name;
    bool locked = false;
    if (PQstatus(c.get()) == CONNECTION_OK) {
        try {
            const std::string timeout = "SET lock_timeout = '" + std::to_string(std::max<long long>(1, wait.count())) + "ms'";
            exec(c.get(), timeout.c_str());
            exec(c.get(), "SELECT pg_advisory_lock(hashtext($1))", {key.c_str()});
            locked = true;
        } catch (const std::exception& e) {
            logger_.warning("oauth: refresh of " + name + " not coordinated with other instances: " + e.what());
        }
    } else {
        logger_.warning("oauth: refresh of " + name + " not coordinated with other instances: " + lastError(c.get()));
    }
    try {
        std::lock_guard lock(syncMutex_);
        pull(false);  // another instance may have refreshed it just now
    } catch (const std::exception&) {
        // Decide on the local copy.
    }
    body();
    try {
        std::lock_guard lock(syncMutex_);
        push();  // the new token is in the database before the next instance decides
    } catch (const std::exception& e) {
        logger_.warning("oauth: refreshed " + name + " not yet in " + description_ + ": " + e.what());
    }
    if (locked) {
        try {
            exec(c.get(), "SELECT pg_advisory_unlock(hashtext($1))", {key.c_str()});
        } catch (const std::exception&) {
            // Ending the session below releases it too.
        }
    }
}

}  // namespace cpa::oauth
