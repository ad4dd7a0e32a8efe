#pragma once
#include "apply_queue.hpp"
#include "usage_log.hpp"
#include "usage_store.hpp"

#include <cpa/sdk/module.hpp>

#include <memory>
#include <string>

namespace cpa::usage {

using sdk::kTopicUsageRecord;
inline constexpr const char* kLogFileName = "usage.jsonl";

/// Turns a `usage.record` event (docs/events.md) into the API bucket, model
/// and detail the store aggregates (usage.md §2 steps 1–5).
struct LiveRecord {
    std::string api;
    std::string model;
    Detail detail;
};
LiveRecord liveRecordFrom(const sdk::Value& event);

/// POST /usage/import's body merged into `store` (usage.md §5): validated in
/// full before anything is applied. Throws sdk::HttpError 400 "invalid json"
/// or "unsupported version".
MergeResult importBody(UsageStore& store, sdk::Request& req);

/// GET /usage, GET /usage/export, POST /usage/import (usage.md §3–§5), fed by
/// `usage.record` events while `usage-statistics-enabled` is true, persisted
/// in <data-dir>/usage.jsonl (deviation D13), or in PostgreSQL with the
/// shared store (`cpa.SharedStore/1`, docs/shared-store.md).
class UsageModule : public sdk::Module {
public:
    ~UsageModule() override;
    void configure(sdk::ModuleContext& context) override;
    void registerRoutes(sdk::RouteRegistry& routes) override;
    void start() override;
    void stop() noexcept override;

    UsageStore& store() noexcept { return store_; }
    /// Applies an event now (tests and the benchmark; the event listener
    /// queues instead, below).
    void onRecord(const sdk::Value& event);
    /// The event listener's path: converted on the caller's thread, applied
    /// by the queue's worker (ApplyQueue). The routes settle() it first.
    void enqueue(const sdk::Value& event);
    /// Every queued record applied (what a reader must see).
    void settle();

private:
    sdk::ModuleContext* context_ = nullptr;
    UsageStore store_;
    std::unique_ptr<RecordLog> log_;  // UsageLog, or SharedUsageLog with the shared store
    std::unique_ptr<ApplyQueue<LiveRecord>> queue_;  // before subscription_: outlives the listener
    std::shared_ptr<void> subscription_;
    bool stopped_ = false;
};

}  // namespace cpa::usage
