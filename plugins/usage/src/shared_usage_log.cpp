#include "shared_usage_log.hpp"

#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/module.hpp>

#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <stdexcept>

namespace cpa::usage {
namespace {

using namespace std::chrono_literals;

constexpr auto kTailInterval = 200ms;  // other instances' records reach this one's /usage within this
constexpr auto kBatchInterval = 20ms;  // lines gathered before an insert: one transaction per batch
constexpr auto kRetryInterval = 1s;
constexpr auto kSyncTimeout = 10s;
constexpr std::size_t kBatchLines = 5000;
constexpr int kTailRows = 10000;
// Advisory lock keys shared by every cpa build (the core's migrations use 7368001).
constexpr const char* kAppendLock = "SELECT pg_advisory_xact_lock(7368002)";
constexpr const char* kImportLock = "SELECT pg_advisory_lock(7368003)";
constexpr const char* kImportUnlock = "SELECT pg_advisory_unlock(7368003)";

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string message(PGconn* c) {
    std::string m = c != nullptr ? PQerrorMessage(c) : "out of memory";
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    for (char& ch : m) {
        if (ch == '\n') ch = ' ';
    }
    return m;
}

/// A connection, or null with `error` set.
PGconn* connect(const std::string& dsn, std::string& error) {
    const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {"5", "cpa-server usage", dsn.c_str(), nullptr};
    PGconn* c = PQconnectdbParams(keys, values, 1);
    if (c != nullptr && PQstatus(c) == CONNECTION_OK) return c;
    error = message(c);
    if (c != nullptr) PQfinish(c);
    return nullptr;
}

Result exec(PGconn* c, const char* sql, int n = 0, const char* const* params = nullptr) {
    Result r(n == 0 ? PQexec(c, sql) : PQexecParams(c, sql, n, nullptr, params, nullptr, nullptr, 0), &PQclear);
    const ExecStatusType st = PQresultStatus(r.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw std::runtime_error(message(c));
    return r;
}

/// COPY's text format: backslash, tab and line breaks escaped (a usage line
/// is JSON: it has backslashes, never raw control characters).
void appendCopyField(std::string& out, const std::string& value) {
    for (const char ch : value) {
        switch (ch) {
            case '\\': out += "\\\\"; break;
            case '\t': out += "\\t"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            default: out += ch;
        }
    }
}

}  // namespace

SharedUsageLog::SharedUsageLog(std::string dsn, std::string description, std::string writer, sdk::Logger& logger,
                               std::size_t maxPendingBytes)
    : dsn_(std::move(dsn)), description_(std::move(description)), writer_(std::move(writer)), logger_(logger),
      maxPendingBytes_(maxPendingBytes) {}

SharedUsageLog::~SharedUsageLog() {
    stop();
    if (conn_ != nullptr) PQfinish(conn_);
}

RecordLog::ReplayResult SharedUsageLog::open(const std::function<bool(std::string_view)>& apply) {
    apply_ = apply;
    std::string error;
    conn_ = connect(dsn_, error);
    if (conn_ == nullptr) throw std::runtime_error("cannot reach " + description_ + ": " + error);
    ReplayResult result;
    result.applied = catchUp(conn_);  // this run has written nothing yet: every row
    return result;
}

std::size_t SharedUsageLog::catchUp(PGconn* conn) {
    std::lock_guard lock(tailMutex_);
    std::size_t applied = 0;
    for (;;) {
        const std::string last = std::to_string(lastId_);
        const char* params[] = {last.c_str(), writer_.c_str()};
        Result r = exec(conn, "SELECT id, line FROM cpa_usage WHERE id > $1 AND writer <> $2 ORDER BY id LIMIT 10000",
                        2, params);
        const int rows = PQntuples(r.get());
        for (int i = 0; i < rows; ++i) {
            if (apply_(std::string_view(PQgetvalue(r.get(), i, 1), static_cast<std::size_t>(PQgetlength(r.get(), i, 1))))) {
                ++applied;
            }
            lastId_ = std::stoll(PQgetvalue(r.get(), i, 0));
        }
        if (rows < kTailRows) return applied;
    }
}

void SharedUsageLog::start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
    tailThread_ = std::thread([this] { follow(); });
}

void SharedUsageLog::append(std::string line) {
    std::lock_guard lock(mutex_);
    if (pendingBytes_ + line.size() > maxPendingBytes_) {
        ++dropped_;
        return;
    }
    const bool wasEmpty = pending_.empty();
    pendingBytes_ += line.size();
    pending_.push_back(std::move(line));
    ++appended_;
    if (wasEmpty) wake_.notify_one();  // the first line of a batch wakes the writer, the rest ride along
}

RecordLog::Mark SharedUsageLog::mark() const {
    std::lock_guard lock(mutex_);
    return Mark{dropped_, failures_};
}

bool SharedUsageLog::syncSince(const Mark& since) {
    std::unique_lock lock(mutex_);
    const std::uint64_t target = appended_;
    wake_.notify_one();
    settledCv_.wait_for(lock, kSyncTimeout, [&] { return settled_ >= target; });
    return settled_ >= target && dropped_ == since.dropped && failures_ == since.failures;
}

std::size_t SharedUsageLog::dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_;
}

void SharedUsageLog::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (tailThread_.joinable()) tailThread_.join();
}

PGconn* SharedUsageLog::writerConnection() {
    if (conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK) return conn_;
    if (conn_ != nullptr) PQfinish(conn_);
    std::string error;
    conn_ = connect(dsn_, error);
    return conn_;
}

bool SharedUsageLog::insert(const std::deque<std::string>& lines) {
    PGconn* c = writerConnection();
    if (c == nullptr) return false;
    std::string data;
    for (const std::string& line : lines) {
        appendCopyField(data, writer_);
        data += '\t';
        appendCopyField(data, line);
        data += '\n';
    }
    try {
        exec(c, "BEGIN");
        exec(c, kAppendLock);  // held to COMMIT: ids become visible in id order
        Result copy(PQexec(c, "COPY cpa_usage (writer, line) FROM STDIN"), &PQclear);
        if (PQresultStatus(copy.get()) != PGRES_COPY_IN) throw std::runtime_error(message(c));
        if (PQputCopyData(c, data.data(), static_cast<int>(data.size())) != 1 || PQputCopyEnd(c, nullptr) != 1) {
            throw std::runtime_error(message(c));
        }
        bool copied = true;
        while (PGresult* r = PQgetResult(c)) {
            copied = copied && PQresultStatus(r) == PGRES_COMMAND_OK;
            PQclear(r);
        }
        if (!copied) throw std::runtime_error(message(c));
        exec(c, "COMMIT");
        return true;
    } catch (const std::exception&) {
        if (PQstatus(c) == CONNECTION_OK) {
            PQclear(PQexec(c, "ROLLBACK"));
        } else {
            PQfinish(conn_);
            conn_ = nullptr;
        }
        return false;
    }
}

void SharedUsageLog::follow() {
    PGconn* conn = nullptr;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (wake_.wait_for(lock, kTailInterval, [&] { return stopping_; })) break;
        }
        try {
            std::string error;
            if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
                if (conn != nullptr) PQfinish(conn);
                conn = connect(dsn_, error);
            }
            if (conn != nullptr) catchUp(conn);
        } catch (const std::exception&) {
            // Reconnects next round; the writer reports outages.
        }
    }
    if (conn != nullptr) PQfinish(conn);
}

void SharedUsageLog::run() {
    for (;;) {
        std::deque<std::string> batch;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, kTailInterval, [&] { return stopping_ || !pending_.empty(); });
            if (!pending_.empty() && !stopping_) {
                lock.unlock();
                std::this_thread::sleep_for(kBatchInterval);
                lock.lock();
            }
            while (!pending_.empty() && batch.size() < kBatchLines) {
                pendingBytes_ -= pending_.front().size();
                batch.push_back(std::move(pending_.front()));
                pending_.pop_front();
            }
            if (stopping_ && batch.empty()) return;
        }
        if (!batch.empty()) {
            const bool ok = insert(batch);
            std::unique_lock lock(mutex_);
            if (ok) {
                settled_ += batch.size();
                if (outage_) logger_.info("usage: " + description_ + " reachable again; queued records written");
                outage_ = false;
                settledCv_.notify_all();
            } else if (stopping_) {
                // Shutting down with the database away: what is queued is lost (counted).
                dropped_ += batch.size() + pending_.size();
                failures_ += 1;
                settled_ += batch.size() + pending_.size();
                pending_.clear();
                settledCv_.notify_all();
                logger_.error("usage: " + description_ + " not reachable at shutdown; queued records lost");
                return;
            } else {
                for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
                    pendingBytes_ += it->size();
                    pending_.push_front(std::move(*it));
                }
                if (!outage_) {
                    logger_.error("usage: cannot write to " + description_ + "; records are queued in memory (" +
                                  std::to_string(pendingBytes_ >> 10) + " KiB) and retried");
                }
                outage_ = true;
                wake_.wait_for(lock, kRetryInterval, [&] { return stopping_; });
            }
        }
    }
}

void SharedUsageLog::exclusiveImport(const std::function<void()>& run) {
    std::string error;
    PGconn* c = connect(dsn_, error);
    if (c == nullptr) {
        throw sdk::HttpError(503, "usage store unavailable: " + description_ + " is not reachable: " + error +
                                      "; nothing was imported, retry later");
    }
    std::unique_ptr<PGconn, decltype(&PQfinish)> owner(c, &PQfinish);
    try {
        // Imports of every instance take turns, each after applying every
        // record committed so far: dedup holds across instances.
        exec(c, kImportLock);
        catchUp(c);
    } catch (const std::exception& e) {
        throw sdk::HttpError(503, "usage store unavailable: " + description_ + ": " + e.what() +
                                      "; nothing was imported, retry later");
    }
    try {
        run();
    } catch (...) {
        PQclear(PQexec(c, kImportUnlock));
        throw;
    }
    PQclear(PQexec(c, kImportUnlock));
}

}  // namespace cpa::usage
