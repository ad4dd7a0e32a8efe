#include "config/file_config_store.hpp"

#include "config/atomic_file.hpp"
#include "config/config_parse.hpp"
#include "config/config_render.hpp"
#include "config/core_validation.hpp"
#include "config/secret_hash.hpp"
#include "config/yaml_value.hpp"

#include <cpa/sdk/directory_watcher.hpp>
#include <cpa/sdk/errors.hpp>

#include <malloc.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

namespace cpa::core {
namespace {

using sdk::SnapshotPtr;
using sdk::Value;

constexpr const char* kSecretParent = "remote-management";
constexpr std::size_t kTrimAfterBytes = 256 * 1024;
constexpr const char* kSecretKey = "secret-key";

using Listener = std::function<void(const SnapshotPtr&)>;

struct ListenerSlot {
    explicit ListenerSlot(Listener f) : fn(std::move(f)) {}
    Listener fn;
    std::atomic<bool> active{true};
};

struct ListenerRegistry {
    std::mutex mutex;
    std::vector<std::shared_ptr<ListenerSlot>> slots;
};

/// Ends a subscription when the caller drops it; safe after the store died.
struct SubscriptionToken {
    std::weak_ptr<ListenerRegistry> registry;
    std::shared_ptr<ListenerSlot> slot;
    ~SubscriptionToken() {
        slot->active = false;
        if (auto r = registry.lock()) {
            std::lock_guard lock(r->mutex);
            std::erase(r->slots, slot);
        }
    }
};

/// A document ready to publish: the text to keep on disk and its value.
struct Prepared {
    ParsedConfig parsed;
    std::string text;
    bool secretHashed = false;  // text differs from the input by the hashed secret
};

/// One writer waiting for the batch that holds its change to reach the disk.
struct Ticket {
    enum class State { Pending, Done, Failed } state = State::Pending;
    SnapshotPtr snap;   // Done: the batch's published snapshot
    std::string error;  // Failed: the HttpError message (status 500)
};
using TicketPtr = std::shared_ptr<Ticket>;

/// The raw text of a secret as written (a plain 00123 stays "00123").
std::optional<std::string> secretText(const ParsedConfig& p) {
    const YAML::Node& root = p.node;
    if (!root.IsMap()) return std::nullopt;
    const YAML::Node parent = root[kSecretParent];
    if (!parent.IsDefined() || !parent.IsMap()) return std::nullopt;
    const YAML::Node secret = parent[kSecretKey];
    if (!secret.IsDefined() || !secret.IsScalar()) return std::nullopt;
    return secret.Scalar();
}

std::string realTarget(const std::string& path) {
    char buf[PATH_MAX];
    if (::realpath(path.c_str(), buf)) return buf;
    return path;
}

std::uint64_t nextStoreId() {
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1);
}

class Store final : public FileConfigStore {
public:
    Store(std::string path, sdk::Logger& logger, Mode mode, std::shared_ptr<ConfigAuthority> authority = nullptr)
        : path_(std::move(path)),
          target_(realTarget(path_)),
          logger_(logger),
          readOnly_(mode == Mode::ReadOnly),
          authority_(std::move(authority)) {}

    ~Store() override { stopWatching(); }

    void initialLoad(bool replaceShared = false) {
        if (authority_) return initialSharedLoad(replaceShared);
        // A write cut short by a crash leaves its temp file (the hashed
        // secret, every client key); nothing else ever removes it.
        if (const std::size_t n = readOnly_ ? 0 : removeStaleTempFiles(target_); n != 0) {
            logger_.info("removed " + std::to_string(n) + " stale temp file(s) of " + path_);
        }
        std::string text;
        try {
            text = readWholeFile(target_, limits_.maxBytes + 1);
        } catch (const std::system_error& e) {
            throw ConfigLoadError("failed to read config file: " + path_ + ": " + e.code().message());
        }
        Prepared prepared;
        try {
            prepared = prepare(text);
        } catch (const ConfigTextError& e) {
            throw ConfigLoadError("failed to parse config file " + path_ + ": " + e.what());
        } catch (const std::runtime_error& e) {
            throw ConfigLoadError(e.what());
        }
        std::lock_guard lock(writeMutex_);
        diskText_ = text;
        if (prepared.secretHashed) writeBackHashedSecret(prepared);
        publishLocked(prepared);
        setStagedLocked(std::move(prepared.parsed));
    }

    // Read on every request (the guards). Each thread keeps the snapshot it
    // last read and takes the mutex only when a newer one was published: the
    // hot path is an atomic load and a reference count. (std::atomic<shared_ptr>
    // was measured 3x slower than the mutex with 64 threads on one core: its
    // lock bit is spun on, so a preempted holder costs the others their slices.)
    // A thread's copy keeps an old snapshot alive until its next call.
    SnapshotPtr snapshot() const override {
        struct Cached {
            std::uint64_t store = 0;
            std::uint64_t generation = 0;
            SnapshotPtr snap;
        };
        thread_local Cached cached;
        if (cached.store == id_ && cached.generation == published_.load(std::memory_order_acquire))
            return cached.snap;
        SnapshotPtr snap;
        {
            std::lock_guard lock(snapshotMutex_);
            snap = current_;
        }
        cached = Cached{id_, snap ? snap->generation() : 0, snap};
        return snap;
    }

    // Group commit. Writers apply their change to the staged document one at
    // a time under writeMutex_ (validate + render, no I/O), then wait. One of
    // them, the leader, writes + fsyncs + renames the staged text once for
    // every change applied so far, publishes it and answers that whole batch;
    // changes applied while it was writing form the next batch. Readers only
    // ever see published (durable) snapshots and never wait for the disk.
    SnapshotPtr update(const std::function<void(Value& root)>& edit) override {
        refuseIfReadOnly();
        if (authority_) return updateShared(edit);
        std::unique_lock lock(writeMutex_);
        // An external edit the watcher has not picked up yet (debounce) is the
        // base of this write, so it is never overwritten.
        SnapshotPtr absorbed = idleLocked() ? absorbExternalEditLocked(true) : nullptr;
        TicketPtr ticket;
        try {
            ticket = applyLocked(edit);
        } catch (...) {
            lock.unlock();
            if (absorbed) notify(absorbed);
            throw;
        }
        if (!ticket) {
            lock.unlock();
            if (absorbed) notify(absorbed);
            return snapshot();
        }
        return awaitCommit(lock, ticket);
    }

    /// Applies `edit` to the staged document; the ticket to wait on, or null
    /// when nothing is staged or being written and the edit changed nothing.
    TicketPtr applyLocked(const std::function<void(Value& root)>& edit) {
        Value copy = staged_.root;
        edit(copy);  // may throw: nothing staged
        if (sameValue(copy, staged_.root)) return joinLatestLocked();
        ParsedConfig next;
        try {
            if (!copy.isObject()) throw ConfigTextError("the top level of the config must be a mapping");
            hashSecretInValue(copy);
            validate(copy, nullptr);
            next = render(staged_, copy);
        } catch (const std::exception& e) {
            throw sdk::HttpError(500, std::string("failed to save config: ") + e.what());
        }
        return stageLocked(std::move(next));
    }

    /// An unchanged edit still reports only what is durable: it waits for the
    /// staged changes it saw.
    TicketPtr joinLatestLocked() {
        if (pending_.empty() && writing_.empty()) return nullptr;
        auto t = std::make_shared<Ticket>();
        (pending_.empty() ? writing_ : pending_).push_back(t);
        return t;
    }

    TicketPtr stageLocked(ParsedConfig next) {
        setStagedLocked(std::move(next));
        auto t = std::make_shared<Ticket>();
        pending_.push_back(t);
        return t;
    }

    /// The next base for writes. Its key-line index served validation only:
    /// dropped, it would otherwise hold a string per list item.
    void setStagedLocked(ParsedConfig next) {
        next.lines.clear();
        staged_ = std::move(next);
    }

    bool idleLocked() const { return pending_.empty() && writing_.empty() && !leaderActive_; }

    /// Waits until the ticket's batch is on disk (or failed), leading a batch
    /// when no one else is. Returns with the lock released.
    SnapshotPtr awaitCommit(std::unique_lock<std::mutex>& lock, const TicketPtr& ticket) {
        SnapshotPtr absorbed;
        bool led = false;
        while (ticket->state == Ticket::State::Pending) {
            if (!leaderActive_) {
                led = true;
                if (SnapshotPtr a = leadOneBatch(lock)) absorbed = std::move(a);
                continue;
            }
            committed_.wait(lock);
        }
        lock.unlock();
        // Parsing a large document frees many small blocks glibc would keep.
        if (led && ticket->snap && ticket->snap->text().size() >= kTrimAfterBytes) ::malloc_trim(0);
        if (absorbed) notify(absorbed);
        if (ticket->state == Ticket::State::Failed) throw sdk::HttpError(500, ticket->error);
        notify(ticket->snap);  // subscribers have run before any writer returns
        return ticket->snap;
    }

    /// Writes everything staged so far as one file replacement. Returns an
    /// external edit it found and published instead (to be announced).
    SnapshotPtr leadOneBatch(std::unique_lock<std::mutex>& lock) {
        leaderActive_ = true;
        writing_ = std::move(pending_);
        pending_.clear();
        // Copies: writers keep staging on staged_ while the lock is released.
        const Value batchRoot = staged_.root;
        const std::string batchText = staged_.text;
        SnapshotPtr absorbed;
        std::string error;
        // An external edit that arrived while changes were staged: never
        // overwrite it. The batch fails and the edit becomes the base.
        std::string onDisk;
        try {
            onDisk = readWholeFile(target_, limits_.maxBytes + 1);
        } catch (const std::exception&) {
            onDisk = diskText_;  // unreadable: the write below reports it
        }
        if (!onDisk.empty() && onDisk != diskText_) {
            error = "failed to save config: " + path_ + " was edited on disk during the write; retry";
        } else {
            lock.unlock();
            try {
                persistText(batchText, snapshot()->text());
            } catch (const std::exception& e) {
                error = e.what();
            } catch (...) {
                error = "failed to save config";
            }
            lock.lock();
        }
        SnapshotPtr snap;
        if (error.empty()) {
            diskText_ = batchText;
            snap = publishLocked(batchRoot, batchText);
        } else {
            // Every change staged on top of the failed state fails too: the
            // previous (published) state is the base again.
            for (auto& t : pending_) writing_.push_back(std::move(t));
            pending_.clear();
            resetStagedLocked();
            if (!onDisk.empty() && onDisk != diskText_) absorbed = absorbExternalEditLocked(false);
        }
        for (const TicketPtr& t : writing_) {
            if (error.empty()) {
                t->state = Ticket::State::Done;
                t->snap = snap;
            } else {
                t->state = Ticket::State::Failed;
                t->error = error;
            }
        }
        writing_.clear();
        leaderActive_ = false;
        committed_.notify_all();
        return absorbed;
    }

    /// The staged document becomes the published one again.
    void resetStagedLocked() {
        try {
            setStagedLocked(parse(snapshot()->text()));
        } catch (const std::exception&) {
            staged_.root = snapshot()->root();  // published text always parses; keep the value at least
            staged_.text = snapshot()->text();
        }
    }

    SnapshotPtr replaceText(const std::string& yamlText) override {
        refuseIfReadOnly();
        if (authority_) return replaceShared(yamlText);
        std::unique_lock lock(writeMutex_);
        Prepared next;
        try {
            next = prepare(yamlText);
        } catch (const std::exception& e) {
            throw std::invalid_argument(e.what());
        }
        return awaitCommit(lock, stageLocked(std::move(next.parsed)));
    }

    ReloadCounts reloadCounts() const noexcept override {
        return {reloads_.load(std::memory_order_relaxed), reloadFailures_.load(std::memory_order_relaxed)};
    }

    bool reloadFromDisk() override {
        if (authority_) return syncShared();
        std::unique_lock lock(writeMutex_);
        // While changes are staged or being written, the leader checks the
        // file before writing and absorbs an external edit itself.
        SnapshotPtr snap = idleLocked() ? absorbExternalEditLocked(false) : nullptr;
        lock.unlock();
        if (!snap) return false;
        notify(snap);
        return true;
    }

    /// Publishes the file's text when it differs from what we last wrote or
    /// loaded. Returns the new snapshot (the caller notifies after unlocking)
    /// or null. With `forWrite`, an invalid pending edit refuses the write
    /// rather than letting it overwrite the operator's text.
    SnapshotPtr absorbExternalEditLocked(bool forWrite) {
        std::string text;
        try {
            text = readWholeFile(target_, limits_.maxBytes + 1);
        } catch (const std::system_error& e) {
            if (!forWrite) logger_.warning("config reload: cannot read " + path_ + ": " + e.code().message());
            return nullptr;
        }
        // Empty: an editor's truncate step. Same text: our own write, or no change.
        if (text.empty() || text == diskText_) return nullptr;
        if (text == rejectedText_) {
            if (forWrite) {
                throw sdk::HttpError(500, "failed to save config: " + path_ +
                                              " was edited on disk and is invalid; fix or revert it first");
            }
            return nullptr;
        }
        Prepared next;
        try {
            next = prepare(text);
        } catch (const std::exception& e) {
            rejectedText_ = text;
            reloadFailures_.fetch_add(1, std::memory_order_relaxed);
            logger_.error("config reload: invalid " + path_ + ", keeping the previous configuration: " + e.what());
            if (forWrite) {
                throw sdk::HttpError(500, "failed to save config: " + path_ +
                                              " was edited on disk and is invalid; fix or revert it first");
            }
            return nullptr;
        }
        rejectedText_.clear();
        diskText_ = text;
        if (next.secretHashed) writeBackHashedSecret(next);
        SnapshotPtr snap = publishLocked(next);
        setStagedLocked(std::move(next.parsed));
        reloads_.fetch_add(1, std::memory_order_relaxed);
        logger_.info("config reloaded from " + path_);
        return snap;
    }

    sdk::Subscription subscribe(Listener listener) override {
        auto slot = std::make_shared<ListenerSlot>(std::move(listener));
        {
            std::lock_guard lock(listeners_->mutex);
            listeners_->slots.push_back(slot);
        }
        auto token = std::make_shared<SubscriptionToken>();
        token->registry = listeners_;
        token->slot = std::move(slot);
        return token;
    }

    void addValidator(std::string name, std::function<void(const Value& root)> validator) override {
        std::lock_guard lock(validatorsMutex_);
        for (auto& [n, v] : validators_) {
            if (n == name) {
                v = std::move(validator);
                return;
            }
        }
        validators_.emplace_back(std::move(name), std::move(validator));
    }

    void declare(sdk::ConfigDeclaration declaration) override {
        std::lock_guard lock(validatorsMutex_);
        for (auto& d : declarations_) {
            if (d.owner == declaration.owner) {
                d = std::move(declaration);
                return;
            }
        }
        declarations_.push_back(std::move(declaration));
    }

    void applyDeclarations() override {
        {
            std::lock_guard lock(validatorsMutex_);
            declarationsComplete_ = true;
        }
        std::unique_lock lock(writeMutex_);
        const SnapshotPtr cur = snapshot();
        Prepared next;
        try {
            next = prepare(cur->text());
        } catch (const std::exception& e) {
            throw ConfigLoadError("failed to parse config file " + path_ + ": " + e.what());
        }
        if (sameValue(next.parsed.root, cur->root())) return;
        // A module's boolean words (yes/no/on/off) now read as booleans.
        SnapshotPtr snap = publishLocked(next);
        setStagedLocked(std::move(next.parsed));
        lock.unlock();
        notify(snap);
    }

    void releaseCallbacks() noexcept override {
        std::vector<std::pair<std::string, std::function<void(const Value&)>>> validators;
        std::vector<sdk::ConfigDeclaration> declarations;
        {
            std::lock_guard lock(validatorsMutex_);
            validators.swap(validators_);
            declarations.swap(declarations_);
        }
        decltype(listeners_->slots) slots;
        {
            std::lock_guard lock(listeners_->mutex);
            slots.swap(listeners_->slots);
        }
    }

    void startWatching() override {
        std::lock_guard lock(watcherMutex_);
        if (authority_) {
            // Other instances' writes instead of the (bootstrap) file's edits.
            if (!sharedWatching_) authority_->startWatching([this] { syncShared(); });
            sharedWatching_ = true;
            return;
        }
        if (watcher_) return;
        // The directory is watched (atomic renames replace the file's inode);
        // only events naming the config file count.
        const std::filesystem::path target(target_);
        const std::string name = target.filename().string();
        auto w = std::make_unique<sdk::DirectoryWatcher>(
            target.has_parent_path() ? target.parent_path().string() : std::string("."),
            [name](std::string_view entry) { return entry == name; }, [this] { reloadFromDisk(); },
            std::chrono::milliseconds(150), [this](const std::string& m) { logger_.error("config watcher: " + m); });
        w->start();
        watcher_ = std::move(w);
    }

    void stopWatching() noexcept override {
        std::unique_ptr<sdk::DirectoryWatcher> w;
        bool shared = false;
        {
            std::lock_guard lock(watcherMutex_);
            w = std::move(watcher_);
            shared = std::exchange(sharedWatching_, false);
        }
        if (shared) authority_->stopWatching();
        if (w) w->stop();
    }

    const std::string& path() const override { return path_; }
    std::string sharedSource() const override { return authority_ ? authority_->describe() : std::string(); }

private:
    // ---- Shared mode (openShared): the document lives in the authority ----

    /// Seeds an empty authority (any, with `replace`) with the bootstrap file
    /// (its `store` key dropped: the connection string stays on this machine),
    /// then publishes the authority's document.
    void initialSharedLoad(bool replace) {
        std::string text;
        try {
            text = readWholeFile(target_, limits_.maxBytes + 1);
        } catch (const std::system_error& e) {
            throw ConfigLoadError("failed to read config file: " + path_ + ": " + e.code().message());
        }
        Prepared boot;
        try {
            boot = prepare(text);
        } catch (const std::exception& e) {
            throw ConfigLoadError("failed to parse config file " + path_ + ": " + e.what());
        }
        std::lock_guard lock(writeMutex_);
        SharedDocument doc;
        bool seeded = false;
        try {
            seeded = authority_
                         ->transact([&](const SharedDocument& cur) -> std::optional<std::string> {
                             if (cur.version != 0 && !replace) return std::nullopt;
                             return withoutStoreKey(boot.parsed);
                         })
                         .has_value();
            doc = authority_->read();
        } catch (const StoreUnavailable& e) {
            throw ConfigLoadError(std::string("config store: ") + e.what());
        }
        Prepared shared;
        try {
            shared = prepare(doc.text);
        } catch (const std::exception& e) {
            throw ConfigLoadError("the configuration in " + authority_->describe() + " is invalid: " + e.what());
        }
        sharedVersion_ = doc.version;
        publishLocked(shared);
        setStagedLocked(std::move(shared.parsed));
        logger_.info(seeded ? "config store: " + authority_->describe() + " now holds " + path_ + " (version " +
                                  std::to_string(doc.version) + ")"
                            : "config store: configuration version " + std::to_string(doc.version) + " from " +
                                  authority_->describe() + " (" + path_ + " is the bootstrap only)");
    }

    std::string withoutStoreKey(const ParsedConfig& parsed) {
        Value copy = parsed.root;
        if (!copy.erase("store")) return parsed.text;
        return render(parsed, copy).text;
    }

    /// One authority transaction: the edit applies to the latest committed
    /// document (absorbed first when another instance wrote it).
    SnapshotPtr updateShared(const std::function<void(Value& root)>& edit) {
        return commitShared([&](ParsedConfig& next) {
            Value copy = staged_.root;
            edit(copy);  // may throw: nothing written
            if (sameValue(copy, staged_.root)) return false;
            try {
                if (!copy.isObject()) throw ConfigTextError("the top level of the config must be a mapping");
                hashSecretInValue(copy);
                validate(copy, nullptr);
                next = render(staged_, copy);
            } catch (const std::exception& e) {
                throw sdk::HttpError(500, std::string("failed to save config: ") + e.what());
            }
            return true;
        });
    }

    SnapshotPtr replaceShared(const std::string& yamlText) {
        Prepared prepared;
        {
            std::lock_guard lock(writeMutex_);
            try {
                prepared = prepare(yamlText);
            } catch (const std::exception& e) {
                throw std::invalid_argument(e.what());
            }
        }
        return commitShared([&](ParsedConfig& next) {
            next = prepared.parsed;
            return true;
        });
    }

    /// Runs `build` (fills the next document, false: no change) inside one
    /// authority transaction, then publishes what was committed.
    SnapshotPtr commitShared(const std::function<bool(ParsedConfig& next)>& build) {
        std::unique_lock lock(writeMutex_);
        SnapshotPtr absorbed;
        ParsedConfig next;
        std::optional<std::uint64_t> committed;
        try {
            committed = authority_->transact([&](const SharedDocument& cur) -> std::optional<std::string> {
                if (cur.version != sharedVersion_) {
                    if (SnapshotPtr a = absorbSharedLocked(cur)) absorbed = std::move(a);
                }
                if (!build(next)) return std::nullopt;
                return next.text;
            });
        } catch (const StoreUnavailable& e) {
            lock.unlock();
            if (absorbed) notify(absorbed);
            throw sdk::HttpError(503, std::string("config store unavailable: ") + e.what() +
                                          "; the change was not saved, retry later");
        } catch (...) {
            lock.unlock();
            if (absorbed) notify(absorbed);
            throw;
        }
        SnapshotPtr result;
        if (committed) {
            sharedVersion_ = *committed;
            result = publishLocked(next.root, next.text);
            setStagedLocked(std::move(next));
        }
        lock.unlock();
        if (absorbed) notify(absorbed);
        if (!result) return snapshot();
        notify(result);
        return result;
    }

    /// Publishes the authority's document when it is newer than ours (the
    /// watcher calls this; SIGHUP too). True when a snapshot was published.
    bool syncShared() {
        SharedDocument doc;
        try {
            doc = authority_->read();
        } catch (const StoreUnavailable& e) {
            logger_.warning(std::string("config reload: ") + e.what());
            return false;
        }
        std::unique_lock lock(writeMutex_);
        // Older than ours: read before a local write committed.
        SnapshotPtr snap = doc.version > sharedVersion_ ? absorbSharedLocked(doc) : nullptr;
        lock.unlock();
        if (!snap) return false;
        notify(snap);
        return true;
    }

    /// Another instance's committed document becomes ours (the caller
    /// notifies). A document this instance refuses is logged once and the
    /// previous configuration kept.
    SnapshotPtr absorbSharedLocked(const SharedDocument& doc) {
        Prepared next;
        try {
            next = prepare(doc.text);
        } catch (const std::exception& e) {
            sharedVersion_ = doc.version;
            if (doc.text != rejectedText_) {
                rejectedText_ = doc.text;
                reloadFailures_.fetch_add(1, std::memory_order_relaxed);
                logger_.error("config reload: version " + std::to_string(doc.version) + " in " +
                              authority_->describe() + " is invalid here, keeping the previous configuration: " +
                              e.what());
            }
            return nullptr;
        }
        sharedVersion_ = doc.version;
        SnapshotPtr snap = publishLocked(next);
        setStagedLocked(std::move(next.parsed));
        reloads_.fetch_add(1, std::memory_order_relaxed);
        logger_.info("config reloaded from " + authority_->describe() + " (version " + std::to_string(doc.version) +
                     ")");
        return snap;
    }

    /// The YAML 1.1 boolean words of every declared Bool key (the core's and
    /// the modules') read as booleans.
    ParsedConfig coerced(ParsedConfig parsed) {
        sdk::coerceConfigBooleans(parsed.root, coreConfigDeclaration().keys);
        std::lock_guard lock(validatorsMutex_);
        for (const sdk::ConfigDeclaration& d : declarations_) sdk::coerceConfigBooleans(parsed.root, d.keys);
        return parsed;
    }

    /// Text → document within the limits, booleans coerced.
    ParsedConfig parse(const std::string& text) { return coerced(parseConfigYaml(text, limits_)); }

    /// Warns about keys nobody declares, once every module has declared its own.
    void warnUnknownKeys(const ParsedConfig& parsed) {
        std::vector<sdk::ConfigDeclaration> all{coreConfigDeclaration()};
        {
            std::lock_guard lock(validatorsMutex_);
            if (!declarationsComplete_) return;
            all.insert(all.end(), declarations_.begin(), declarations_.end());
        }
        for (const std::string& w : unknownConfigKeys(parsed.root, parsed.lines, all)) logger_.warning(path_ + ": " + w);
    }

    /// Parse → validate → hash a plaintext secret (rewriting only its text).
    /// Throws ConfigTextError (syntax/validation) or std::runtime_error (hashing).
    Prepared prepare(const std::string& text) {
        Prepared out;
        out.parsed = parse(text);
        out.text = text;
        validate(out.parsed.root, &out.parsed.lines);
        warnUnknownKeys(out.parsed);
        const auto secret = secretText(out.parsed);
        if (!secret || secret->empty() || looksLikeBcrypt(*secret)) return out;

        std::string hash;
        try {
            hash = bcryptHash(*secret);
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string("failed to hash remote management key: ") + e.what());
        }
        Value expected = out.parsed.root;
        expected[kSecretParent].set(kSecretKey, Value(hash));
        const YAML::Node& root = out.parsed.node;
        std::optional<std::string> hashed = replaceScalarText(text, root[kSecretParent][kSecretKey], hash);
        if (!hashed || !verifies(*hashed, expected)) hashed = renderEdited(text, root, out.parsed.root, expected);
        if (!verifies(*hashed, expected)) hashed = emitDocument(expected);
        out.parsed = parse(*hashed);
        out.text = std::move(*hashed);
        out.secretHashed = true;
        return out;
    }

    /// A plaintext secret put into the document by an edit is hashed too (D4).
    static void hashSecretInValue(Value& root) {
        Value* parent = root.find(kSecretParent);
        if (!parent || !parent->isObject()) return;
        Value* secret = parent->find(kSecretKey);
        if (!secret || !secret->isString() || secret->asString().empty() || looksLikeBcrypt(secret->asString())) {
            return;
        }
        try {
            *secret = Value(bcryptHash(secret->asString()));
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string("failed to hash remote management key: ") + e.what());
        }
    }

    void validate(const Value& root, const KeyLines* lines) {
        validateCoreConfig(root, lines);
        std::vector<std::pair<std::string, std::function<void(const Value&)>>> validators;
        std::vector<sdk::ConfigDeclaration> declarations;
        {
            std::lock_guard lock(validatorsMutex_);
            validators = validators_;
            declarations = declarations_;
        }
        const auto lineOf = [lines](const std::string& path) {
            if (!lines) return 0;
            const auto it = lines->find(path);
            return it == lines->end() ? 0 : it->second;
        };
        for (const sdk::ConfigDeclaration& d : declarations) {
            try {
                sdk::checkConfigKeys(root, d.keys, lineOf);
                if (d.validate) d.validate(root);
            } catch (const std::exception& e) {
                throw ConfigTextError(e.what());
            }
        }
        for (const auto& [name, fn] : validators) {
            try {
                fn(root);
            } catch (const std::exception& e) {
                throw ConfigTextError(e.what());
            }
        }
    }

    bool verifies(const std::string& text, const Value& expected) {
        try {
            return sameValue(parse(text).root, expected);
        } catch (const std::exception&) {
            return false;
        }
    }

    /// `root` as text: only the changed keys of `old` rewritten; the whole
    /// document re-emitted when that does not read back as `root`.
    ParsedConfig render(const ParsedConfig& old, const Value& root) {
        const std::string text = renderEdited(old.text, old.node, old.root, root);
        ParsedConfig out;
        try {
            out = coerced(parseRenderedConfigYaml(text, root, limits_));
            if (sameValue(out.root, root)) return out;
        } catch (const ConfigTextError&) {
            // A rendering that does not parse; over a limit, the re-emission below refuses too.
        }
        logger_.warning("config write: the changed keys could not be rewritten in place; re-emitting " + path_ +
                        " (comments are lost)");
        out = coerced(parseRenderedConfigYaml(emitDocument(root), root, limits_));
        if (!sameValue(out.root, root)) throw std::runtime_error("verification failed");
        return out;
    }

    /// Atomic write + read-back check; restores `oldText` when the check
    /// fails. Throws HttpError(500, "failed to save config: ..."). Runs
    /// without the writer lock (only the batch leader calls it).
    void persistText(const std::string& text, const std::string& oldText) {
        try {
            writeFileAtomically(target_, text);
        } catch (const std::exception& e) {
            throw sdk::HttpError(500, std::string("failed to save config: ") + e.what());
        }
        bool ok = false;
        try {
            ok = readWholeFile(target_, text.size() + 1) == text;
        } catch (const std::exception&) {
            ok = false;
        }
        if (!ok) {
            try {
                writeFileAtomically(target_, oldText);
            } catch (const std::exception& e) {
                logger_.error("config write: restoring " + path_ + " failed: " + e.what());
            }
            throw sdk::HttpError(500, "failed to save config: verification failed");
        }
    }

    void refuseIfReadOnly() const {
        if (readOnly_) throw sdk::HttpError(500, "failed to save config: " + path_ + " is open read-only");
    }

    /// Load-time write-back of the hashed secret; failure only warns.
    void writeBackHashedSecret(const Prepared& p) {
        if (readOnly_) return;  // the in-memory hash serves a check as well
        try {
            writeFileAtomically(target_, p.text);
            diskText_ = p.text;
            logger_.info("remote-management.secret-key hashed and written back to " + path_);
        } catch (const std::exception& e) {
            logger_.warning("could not write the hashed remote-management.secret-key back to " + path_ + ": " +
                            e.what() + " (running with the in-memory hash)");
        }
    }

    SnapshotPtr publishLocked(const Prepared& p) { return publishLocked(p.parsed.root, p.text); }

    SnapshotPtr publishLocked(const Value& root, const std::string& text) {
        auto snap = std::make_shared<const sdk::ConfigSnapshot>(root, text, ++generation_);
        std::lock_guard lock(snapshotMutex_);
        current_ = snap;
        published_.store(snap->generation(), std::memory_order_release);
        return snap;
    }

    void notify(const SnapshotPtr& snap) {
        std::lock_guard lock(notifyMutex_);
        // Concurrent writers may reach here out of order: never go back in time.
        if (snap->generation() <= lastNotified_) return;
        lastNotified_ = snap->generation();
        std::vector<std::shared_ptr<ListenerSlot>> slots;
        {
            std::lock_guard l(listeners_->mutex);
            slots = listeners_->slots;
        }
        for (const auto& slot : slots) {
            if (!slot->active) continue;
            try {
                slot->fn(snap);
            } catch (const std::exception& e) {
                logger_.error(std::string("config subscriber threw: ") + e.what());
            } catch (...) {
                logger_.error("config subscriber threw");
            }
        }
    }

    const std::string path_;
    const std::string target_;  // symlinks resolved: the rename must replace the real file
    sdk::Logger& logger_;
    const bool readOnly_;

    const YamlLimits limits_{};

    std::mutex writeMutex_;  // one writer (update, replaceText, reload) applies at a time
    std::atomic<std::uint64_t> reloads_{0};
    std::atomic<std::uint64_t> reloadFailures_{0};
    std::string diskText_;   // what we believe the file holds
    std::string rejectedText_;
    // Group commit (see update()), all under writeMutex_.
    ParsedConfig staged_;               // every applied change, durable or not
    std::vector<TicketPtr> pending_;    // applied, not yet being written
    std::vector<TicketPtr> writing_;    // the batch the leader is writing
    bool leaderActive_ = false;
    std::condition_variable committed_;  // a batch was resolved or leadership freed
    std::uint64_t generation_ = 0;

    mutable std::mutex snapshotMutex_;
    SnapshotPtr current_;
    std::atomic<std::uint64_t> published_{0};  // current_'s generation (0: none yet)
    // Tells stores apart in the readers' thread-local cache (never reused,
    // unlike an address).
    const std::uint64_t id_ = nextStoreId();

    std::recursive_mutex notifyMutex_;  // a subscriber may itself call update()
    std::uint64_t lastNotified_ = 0;
    std::shared_ptr<ListenerRegistry> listeners_ = std::make_shared<ListenerRegistry>();

    std::mutex validatorsMutex_;  // also guards declarations_ and declarationsComplete_
    std::vector<std::pair<std::string, std::function<void(const Value&)>>> validators_;
    std::vector<sdk::ConfigDeclaration> declarations_;  // the modules'; the core's is coreConfigDeclaration()
    bool declarationsComplete_ = false;                 // set by applyDeclarations()

    std::mutex watcherMutex_;
    std::unique_ptr<sdk::DirectoryWatcher> watcher_;

    // Shared mode (openShared): the authority holds the document; the store
    // keeps no group commit (the authority's transaction is the durable step).
    const std::shared_ptr<ConfigAuthority> authority_;
    std::uint64_t sharedVersion_ = 0;  // the authority's version published here, under writeMutex_
    bool sharedWatching_ = false;      // under watcherMutex_
};

}  // namespace

std::shared_ptr<FileConfigStore> FileConfigStore::open(const std::string& path, sdk::Logger& logger, Mode mode) {
    auto store = std::make_shared<Store>(path, logger, mode);
    store->initialLoad();
    return store;
}

std::shared_ptr<FileConfigStore> FileConfigStore::openShared(const std::string& path, sdk::Logger& logger,
                                                             std::shared_ptr<ConfigAuthority> authority,
                                                             bool replaceShared) {
    auto store = std::make_shared<Store>(path, logger, Mode::ReadWrite, std::move(authority));
    store->initialLoad(replaceShared);
    return store;
}

}  // namespace cpa::core
