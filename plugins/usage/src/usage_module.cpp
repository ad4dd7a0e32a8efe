#include "usage_module.hpp"

#include "import_scanner.hpp"
#include "shared_usage_log.hpp"

#include <cpa/sdk/body.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/shared_store.hpp>
#include <cpa/sdk/text.hpp>

#include <filesystem>
#include <random>
#include <limits>

#include <malloc.h>

namespace cpa::usage {

namespace {

/// Tells this process run's rows from those of an earlier run under the same
/// instance name (CPA_INSTANCE_ID may be stable across restarts).
std::string runId() {
    std::random_device rd;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
    return buf;
}

constexpr const char* kJsonType = "application/json; charset=utf-8";

std::string stringField(const sdk::Value& v, std::string_view name) {
    const sdk::Value* f = v.find(name);
    return f && f->isString() ? f->asString() : std::string();
}

// Small bodies are sent buffered (Content-Length, like the original); large
// ones are streamed from the shared chunks, outside the store's lock.
void sendPieces(sdk::Response& res, const UsageStore::Pieces& pieces) {
    constexpr std::size_t kStreamAbove = 4u << 20;
    std::size_t total = 0;
    for (const auto& p : pieces) total += p->size();
    res.setStatus(200);
    if (total <= kStreamAbove) {
        std::string body;
        body.reserve(total);
        for (const auto& p : pieces) body += *p;
        res.setBody(std::move(body), kJsonType);
        return;
    }
    res.setHeader("Content-Type", kJsonType);
    sdk::StreamWriter& out = res.stream();
    for (const auto& p : pieces) {
        if (!out.write(*p)) return;  // the client went away
    }
    out.flush();
}

// Feeds a scanned body's details to the store's merger.
class MergeVisitor final : public ImportVisitor {
public:
    explicit MergeVisitor(UsageStore::Merger& merger) : merger_(merger) {}
    void beginApi(std::string_view name) override { merger_.beginApi(name); }
    void beginModel(std::string_view name) override { merger_.beginModel(name); }
    void detail(Detail d) override { merger_.detail(std::move(d)); }

private:
    UsageStore::Merger& merger_;
};

// The tree decoder: bodies the scanner leaves to it (duplicate or
// case-variant keys, malformed JSON). Throws like the scanner's callers expect.
std::vector<ImportApi> decodeTree(const std::string& text, std::int64_t& version) {
    std::vector<ImportApi> apis;
    const sdk::Value body = sdk::parseJson(text);
    if (!body.isNull()) {
        if (!body.isObject()) throw InvalidUsageJson("body is not an object");
        if (const sdk::Value* v = sdk::boundMember(body, "version")) {
            if (!v->isInt()) throw InvalidUsageJson("version is not an integer");
            version = v->asInt();
        }
        if (const sdk::Value* u = sdk::boundMember(body, "usage")) apis = snapshotFromJson(*u);
    }
    return apis;
}

}  // namespace

MergeResult importBody(UsageStore& store, sdk::Request& req) {
    // Validate everything first, apply after: a bad body changes nothing.
    std::vector<ImportApi> apis;
    std::int64_t version = 0;
    bool scanned = false;
    try {
        const std::string& text = req.body();
        const ScanResult scan = scanImport(text);
        if (scan.outcome == ScanOutcome::Invalid) throw InvalidUsageJson("invalid import body");
        scanned = scan.outcome == ScanOutcome::Ok;
        if (scanned) {
            version = scan.version;
        } else {
            apis = decodeTree(text, version);
        }
    } catch (const std::exception&) {
        throw sdk::HttpError(400, "invalid json");
    }
    if (version != 0 && version != 1) throw sdk::HttpError(400, "unsupported version");
    MergeResult merged;
    if (scanned) {
        UsageStore::Merger merger(store);
        MergeVisitor visitor(merger);
        scanImport(req.body(), &visitor);  // scanned Ok above: the visit is complete
        merged = merger.result();
    } else {
        merged = store.merge(std::move(apis));
    }
    if (req.body().size() > (16u << 20)) {
        // A big import freed many small blocks (a parsed tree, or the
        // scanner's per-detail strings); hand the pages back (glibc keeps them).
        ::malloc_trim(0);
    }
    return merged;
}

LiveRecord liveRecordFrom(const sdk::Value& event) {
    LiveRecord r;
    r.api = stringField(event, "api_key");
    if (r.api.empty()) r.api = stringField(event, "endpoint");
    if (r.api.empty()) r.api = stringField(event, "provider");
    if (r.api.empty()) r.api = "unknown";
    r.model = stringField(event, "model");
    if (r.model.empty()) r.model = "unknown";

    Detail& d = r.detail;
    const auto when = parseRfc3339(stringField(event, "requested_at"));
    d.timestamp = when && !when->isZero() ? *when : nowLocal();
    const sdk::Value* latency = event.find("latency_ms");
    d.latencyMs = latency ? latency->intOr(0) : 0;
    d.source = sdk::trimAscii(stringField(event, "source"));
    d.authIndex = sdk::trimAscii(stringField(event, "auth_index"));
    if (const sdk::Value* t = event.find("tokens"); t && t->isObject()) {
        auto tok = [t](std::string_view name) {
            const sdk::Value* v = t->find(name);
            return v ? v->intOr(0) : 0;
        };
        d.tokens.input = tok("input_tokens");
        d.tokens.output = tok("output_tokens");
        d.tokens.reasoning = tok("reasoning_tokens");
        d.tokens.cached = tok("cached_tokens");
        d.tokens.total = tok("total_tokens");
    }
    const sdk::Value* failed = event.find("failed");
    d.failed = failed ? failed->boolOr(false) : false;
    return r;
}

UsageModule::~UsageModule() {
    // The context may already be gone here: no logging, just make the log durable.
    subscription_.reset();
    if (queue_) queue_->stop();
    if (log_) log_->stop();
}

void UsageModule::configure(sdk::ModuleContext& context) {
    context_ = &context;
    context.config().declare({"usage", {{"usage-statistics-enabled", sdk::ConfigType::Bool}}, {}});
    std::string path = (std::filesystem::path(context.paths().dataDir) / kLogFileName).string();
    if (auto shared = context.services().get(sdk::kSharedStoreService)) {
        log_ = std::make_unique<SharedUsageLog>(shared->connectionString(), shared->describe(),
                                                shared->instance() + "/" + runId(), context.logger());
        path = shared->describe();
    } else {
        log_ = std::make_unique<UsageLog>(path);
    }
    try {
        const auto replay = log_->open([this](std::string_view line) { return store_.replayLine(line); });
        context.logger().info("usage: restored " + std::to_string(replay.applied) + " records from " + path);
        if (replay.rejected > 0) {
            context.logger().warning("usage: skipped " + std::to_string(replay.rejected) + " undecodable lines in " +
                                     path);
        }
        if (replay.tornTail) context.logger().warning("usage: cut off an incomplete last line of " + path);
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("usage store: ") + e.what());
    }
    RecordLog* log = log_.get();
    store_.setSink([log](std::string line) { log->append(std::move(line)); });
    log_->start();
}

void UsageModule::start() {
    if (!context_ || subscription_) return;
    UsageStore* store = &store_;
    queue_ = std::make_unique<ApplyQueue<LiveRecord>>([store](std::vector<LiveRecord>& batch) {
        for (LiveRecord& r : batch) store->record(r.api, r.model, std::move(r.detail));
    });
    subscription_ = context_->events().subscribe(std::string(kTopicUsageRecord),
                                                 [this](const sdk::Value& event) { enqueue(event); });
}

void UsageModule::stop() noexcept {
    subscription_.reset();
    if (queue_) queue_->stop();  // what was queued is applied (and logged) before the log stops
    if (stopped_) return;
    stopped_ = true;
    if (log_) {
        log_->stop();
        if (context_ && log_->dropped() > 0) {
            context_->logger().warning("usage: " + std::to_string(log_->dropped()) +
                                       " records were not persisted (write queue full)");
        }
    }
}

void UsageModule::onRecord(const sdk::Value& event) {
    // Read at event time so the toggle takes effect at once (usage.md §6).
    if (!context_ || !context_->config().snapshot()->getBool("usage-statistics-enabled", false)) return;
    LiveRecord r = liveRecordFrom(event);
    store_.record(r.api, r.model, std::move(r.detail));
}

void UsageModule::enqueue(const sdk::Value& event) {
    if (!queue_) return onRecord(event);
    if (!context_ || !context_->config().snapshot()->getBool("usage-statistics-enabled", false)) return;
    queue_->push(liveRecordFrom(event));
}

void UsageModule::settle() {
    if (queue_) queue_->settle();
}

void UsageModule::registerRoutes(sdk::RouteRegistry& routes) {
    const std::string base = std::string(sdk::kManagementBase) + "/usage";
    UsageStore* store = &store_;
    // Each route first waits for the records queued before it (ApplyQueue).
    const auto settled = [this] { settle(); };

    routes.route(sdk::Method::Get, base, sdk::Access::Management, [store, settled](sdk::Request&, sdk::Response& res) {
        settled();
        sendPieces(res, store->usagePieces());
    });

    routes.route(sdk::Method::Get, base + "/export", sdk::Access::Management,
                 [store, settled](sdk::Request&, sdk::Response& res) {
                     settled();
                     Timestamp now = nowLocal();
                     now.offset = 0;  // exported_at is UTC
                     sendPieces(res, store->exportPieces(formatRfc3339Nano(now)));
                 });

    RecordLog* log = log_.get();
    routes.route(sdk::Method::Post, base + "/import", sdk::Access::Management,
                 [store, log, settled](sdk::Request& req, sdk::Response& res) {
                     settled();  // an imported duplicate of a queued record is recognised
                     MergeResult merged;
                     const auto merge = [&] {
                         const RecordLog::Mark mark = log ? log->mark() : RecordLog::Mark{};
                         merged = importBody(*store, req);
                         // Answer only once the imported records are durable (D13).
                         if (log && merged.added > 0 && !log->syncSince(mark)) {
                             throw sdk::HttpError(500, "failed to persist usage records");
                         }
                     };
                     if (log) {
                         log->exclusiveImport(merge);
                     } else {
                         merge();
                     }
                     const UsageStore::Totals totals = store->totals();
                     // gin.H: keys sorted.
                     res.json(200, sdk::Value::object({{"added", merged.added},
                                                       {"failed_requests", totals.failures},
                                                       {"skipped", merged.skipped},
                                                       {"total_requests", totals.requests}}));
                 });
    // An export of a busy server is many MiB: the import takes what the
    // server's overall body bound (max-request-body-mb) allows.
    routes.setBodyLimit(sdk::Method::Post, base + "/import", std::numeric_limits<std::size_t>::max());
}

}  // namespace cpa::usage
