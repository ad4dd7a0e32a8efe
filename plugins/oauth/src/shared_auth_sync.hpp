#pragma once
// The auth-dir's credential files shared by every instance on one PostgreSQL
// (table cpa_credentials, docs/shared-store.md): each instance keeps its local
// auth-dir (the credential store is unchanged) and a background thread keeps
// it equal to the database both ways — a file saved, uploaded, refreshed or
// deleted here is written to the database; one changed elsewhere is written
// here through the store (so its subscribers, e.g. the data plane, see it).
// Local changes are picked up from the store's change notifications.
#include "file_credential_store.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

struct pg_conn;

namespace cpa::oauth {

class SharedAuthSync {
public:
    SharedAuthSync(std::shared_ptr<FileCredentialStore> store, std::string dsn, std::string description,
                   std::string instance, sdk::Logger& logger);
    ~SharedAuthSync();

    /// The first round, before traffic: the database's files win over local
    /// ones of the same name, local files it lacks are added to it. Throws
    /// std::runtime_error when the database cannot be reached.
    void initialSync();
    /// Follows both sides every 500 ms and on every local change.
    void start();
    void stop() noexcept;

    /// Runs `body` (a token refresh decision) holding a lock on `name` shared
    /// by every instance, after applying the database's newer files here, and
    /// writes this instance's changes to the database before letting go: a
    /// token is refreshed on one instance, the others then find it refreshed.
    /// Without the database (or past `wait` for the lock) `body` runs anyway.
    void exclusive(const std::string& name, std::chrono::milliseconds wait, const std::function<void()>& body);

    SharedAuthSync(const SharedAuthSync&) = delete;
    SharedAuthSync& operator=(const SharedAuthSync&) = delete;

private:
    void run();
    /// One round: remote changes applied here, then local changes written
    /// there. Throws std::runtime_error on database errors.
    void syncOnce(bool initial);
    void pull(bool initial);
    void push();
    void upsert(const std::string& name, const std::string* content);
    pg_conn* connection();

    std::shared_ptr<FileCredentialStore> store_;
    const std::string dsn_;
    const std::string description_;
    const std::string instance_;
    sdk::Logger& logger_;
    pg_conn* conn_ = nullptr;  // the sync thread's (initialSync's before it starts)
    /// Name → content both sides held at the last round (what "changed" means).
    std::map<std::string, std::string> synced_;
    std::int64_t seenVersion_ = 0;
    sdk::Subscription subscription_;

    std::mutex syncMutex_;  // one round at a time (thread or exclusive()): guards conn_, synced_, seenVersion_
    std::mutex mutex_;
    std::condition_variable wake_;
    bool dirty_ = false;
    bool stopping_ = false;
    bool outage_ = false;
    std::thread thread_;
};

}  // namespace cpa::oauth
