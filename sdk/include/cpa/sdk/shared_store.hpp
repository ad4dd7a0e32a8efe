#pragma once
// The shared store service, "cpa.SharedStore/1": present when the server runs
// with `store: {type: postgres}` (several instances on one database,
// docs/shared-store.md), absent with the file store. The core provides it;
// a module that keeps shared state (usage records) connects to the same
// database with its own client. Since SDK 2.2.
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/services.hpp>

#include <string>

namespace cpa::sdk {

class CPA_SDK_API SharedStore {
public:
    virtual ~SharedStore();
    /// "postgres".
    virtual std::string kind() const = 0;
    /// The libpq connection string. A secret (it may hold a password): never
    /// log it; describe() names the database for messages.
    virtual std::string connectionString() const = 0;
    /// For messages, e.g. "PostgreSQL 127.0.0.1:5432/cpa".
    virtual std::string describe() const = 0;
    /// This server's name in the store (CPA_INSTANCE_ID, else hostname:pid).
    virtual std::string instance() const = 0;
};

inline constexpr ServiceKey<SharedStore> kSharedStoreService{"cpa.SharedStore/1"};

}  // namespace cpa::sdk
