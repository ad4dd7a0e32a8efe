#pragma once
// The in-memory usage statistics (usage.md §2–§5): counters, per API/model
// details, day/hour buckets and the import dedup keys.
//
// Details are kept as their already-serialised JSON text, appended per model:
// GET /usage and /usage/export then only concatenate, which keeps a million
// records both small in memory and quick to serve.
#include "digest_set.hpp"
#include "timestamp.hpp"

#include <cpa/sdk/value.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace cpa::usage {

struct Tokens {
    std::int64_t input = 0, output = 0, reasoning = 0, cached = 0, total = 0;
    /// total 0 → input+output+reasoning; still 0 → plus cached (usage.md §2 step 2).
    void normalise() noexcept;
};

struct Detail {
    Timestamp timestamp;
    std::int64_t latencyMs = 0;
    std::string source;
    std::string authIndex;
    Tokens tokens;
    bool failed = false;
};

/// A body that decodes differently from the original's typed decoder (→ 400 "invalid json").
class InvalidUsageJson : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ImportModel {
    std::string name;
    std::vector<Detail> details;
};
struct ImportApi {
    std::string name;
    std::vector<ImportModel> models;
};

/// Decodes one detail object like the original's typed decoder; throws InvalidUsageJson.
Detail detailFromJson(const sdk::Value& v);
/// Decodes a snapshot object (`usage`); only apis → models → details is kept,
/// the other members are type-checked. Throws InvalidUsageJson.
std::vector<ImportApi> snapshotFromJson(const sdk::Value& usage);

/// The detail's JSON object text (field order of the original).
std::string detailJson(const Detail& d);

struct MergeResult {
    std::int64_t added = 0;
    std::int64_t skipped = 0;
};

class UsageStore {
public:
    /// Receives one log line (without newline) per recorded detail, in record
    /// order, while the store's lock is held. Must be quick and not throw.
    using Sink = std::function<void(std::string line)>;

    void setSink(Sink sink);

    /// Records one live detail (no dedup check, like the original).
    void record(const std::string& api, const std::string& model, Detail detail);
    /// Re-applies a persisted log line; false when the line does not decode.
    bool replayLine(std::string_view line);
    /// The merge of usage.md §5.3 with the dedup key of §5.4.
    MergeResult merge(std::vector<ImportApi> apis);

    /// The same merge fed one detail at a time (the streamed import). Holds
    /// the store's lock while alive, letting go of it briefly every 4096
    /// details so a huge import does not stall live recording.
    class Merger {
    public:
        explicit Merger(UsageStore& store);
        /// The next API entry, name as imported; an entry whose trimmed name
        /// is empty is skipped whole (its details count nowhere).
        void beginApi(std::string_view name);
        /// The next model of the current API, name as imported.
        void beginModel(std::string_view name);
        void detail(Detail d);
        const MergeResult& result() const noexcept { return result_; }

    private:
        UsageStore& store_;
        std::unique_lock<std::mutex> lock_;
        std::string api_, model_;
        bool skipApi_ = true;
        std::size_t sinceYield_ = 0;
        MergeResult result_;
    };

    /// The snapshot object (`usage` of GET /usage).
    std::string snapshotJson() const;
    /// The whole GET /usage body: `{"failed_requests":N,"usage":{...}}`
    /// (gin.H marshals its keys sorted).
    std::string usageBody() const;
    /// The whole /usage/export body (a struct in the original: field order kept).
    std::string exportBody(const std::string& exportedAt) const;

    /// A body as a list of pieces taken under the lock in O(chunks): full
    /// detail chunks are shared, not copied, so a large body is streamed
    /// without holding the lock or a second full copy in memory.
    using Pieces = std::vector<std::shared_ptr<const std::string>>;
    Pieces usagePieces() const;
    Pieces exportPieces(const std::string& exportedAt) const;
    struct Totals {
        std::int64_t requests = 0;
        std::int64_t failures = 0;
    };
    Totals totals() const;

private:
    struct ModelEntry {
        std::int64_t requests = 0;
        std::int64_t tokens = 0;
        /// Comma-separated detail objects in fixed-size chunks: no doubling
        /// reallocations (slack and heap fragmentation at a million records).
        /// Every chunk but the last is immutable, so a snapshot can share it.
        std::vector<std::shared_ptr<std::string>> details;
    };
    struct ApiEntry {
        std::int64_t requests = 0;
        std::int64_t tokens = 0;
        std::map<std::string, ModelEntry> models;
    };
    using Key = Digest;

    std::size_t sizeHint() const;
    /// Caller holds mutex_. With `pieces`, detail chunks are shared into it
    /// (and `out` flushed before each) instead of being copied into `out`.
    void appendSnapshot(std::string& out, Pieces* pieces = nullptr) const;
    static Key dedupKey(const std::string& api, const std::string& model, const Detail& d);
    void apply(const std::string& api, const std::string& model, const Detail& d, const std::string& text,
               bool persist);

    mutable std::mutex mutex_;
    Sink sink_;
    std::int64_t total_ = 0, success_ = 0, failure_ = 0, totalTokens_ = 0;
    std::map<std::string, ApiEntry> apis_;
    std::map<std::string, std::int64_t> requestsByDay_, tokensByDay_;
    std::array<std::int64_t, 24> requestsByHour_{}, tokensByHour_{};
    std::array<bool, 24> hourSeen_{};
    /// 128-bit digests of every stored detail's dedup key (the key text
    /// itself would cost ~150 bytes a record).
    DigestSet keys_;
};

}  // namespace cpa::usage
