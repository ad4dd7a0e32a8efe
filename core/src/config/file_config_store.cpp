#include "config/file_config_store.hpp"

#include "config/atomic_file.hpp"
#include "config/config_parse.hpp"
#include "config/config_render.hpp"
#include "config/core_validation.hpp"
#include "config/secret_hash.hpp"
#include "config/yaml_value.hpp"

#include <cpa/sdk/directory_watcher.hpp>
#include <cpa/sdk/errors.hpp>

#include <atomic>
#include <chrono>
#include <climits>
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
    Store(std::string path, sdk::Logger& logger) : path_(std::move(path)), target_(realTarget(path_)), logger_(logger) {}

    ~Store() override { stopWatching(); }

    void initialLoad() {
        std::string text;
        try {
            text = readWholeFile(target_);
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

    SnapshotPtr update(const std::function<void(Value& root)>& edit) override {
        std::unique_lock lock(writeMutex_);
        // An external edit the watcher has not picked up yet (debounce) is the
        // base of this write, so it is never overwritten.
        SnapshotPtr absorbed = absorbExternalEditLocked(true);
        SnapshotPtr written;
        try {
            written = updateLocked(edit);
        } catch (...) {
            lock.unlock();
            if (absorbed) notify(absorbed);
            throw;
        }
        lock.unlock();
        if (written) {
            notify(written);
            return written;
        }
        if (absorbed) notify(absorbed);
        return snapshot();
    }

    /// The write itself; null when the edit changed nothing.
    SnapshotPtr updateLocked(const std::function<void(Value& root)>& edit) {
        SnapshotPtr cur = snapshot();
        Value copy = cur->root();
        edit(copy);  // may throw: nothing written
        if (sameValue(copy, cur->root())) return nullptr;

        Prepared next;
        try {
            if (!copy.isObject()) throw ConfigTextError("the top level of the config must be a mapping");
            hashSecretInValue(copy);
            validate(copy, nullptr);
            next = render(cur->text(), copy);
        } catch (const std::exception& e) {
            throw sdk::HttpError(500, std::string("failed to save config: ") + e.what());
        }
        persist(next.text, next.parsed.root, cur->text());
        return publishLocked(next);
    }

    SnapshotPtr replaceText(const std::string& yamlText) override {
        std::unique_lock lock(writeMutex_);
        Prepared next;
        try {
            next = prepare(yamlText);
        } catch (const std::exception& e) {
            throw std::invalid_argument(e.what());
        }
        persist(next.text, next.parsed.root, snapshot()->text());
        SnapshotPtr snap = publishLocked(next);
        lock.unlock();
        notify(snap);
        return snap;
    }

    ReloadCounts reloadCounts() const noexcept override {
        return {reloads_.load(std::memory_order_relaxed), reloadFailures_.load(std::memory_order_relaxed)};
    }

    bool reloadFromDisk() override {
        std::unique_lock lock(writeMutex_);
        SnapshotPtr snap = absorbExternalEditLocked(false);
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
            text = readWholeFile(target_);
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

    void releaseCallbacks() noexcept override {
        std::vector<std::pair<std::string, std::function<void(const Value&)>>> validators;
        {
            std::lock_guard lock(validatorsMutex_);
            validators.swap(validators_);
        }
        decltype(listeners_->slots) slots;
        {
            std::lock_guard lock(listeners_->mutex);
            slots.swap(listeners_->slots);
        }
    }

    void startWatching() override {
        std::lock_guard lock(watcherMutex_);
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
        {
            std::lock_guard lock(watcherMutex_);
            w = std::move(watcher_);
        }
        if (w) w->stop();
    }

    const std::string& path() const override { return path_; }

private:
    /// Parse → validate → hash a plaintext secret (rewriting only its text).
    /// Throws ConfigTextError (syntax/validation) or std::runtime_error (hashing).
    Prepared prepare(const std::string& text) {
        Prepared out;
        out.parsed = parseConfigText(text);
        out.text = text;
        validate(out.parsed.root, &out.parsed.lines);
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
        out.parsed = parseConfigText(*hashed);
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
        {
            std::lock_guard lock(validatorsMutex_);
            validators = validators_;
        }
        for (const auto& [name, fn] : validators) {
            try {
                fn(root);
            } catch (const std::exception& e) {
                throw ConfigTextError(e.what());
            }
        }
    }

    static bool verifies(const std::string& text, const Value& expected) {
        try {
            return sameValue(parseConfigText(text).root, expected);
        } catch (const std::exception&) {
            return false;
        }
    }

    /// The new text with only the changed keys rewritten; whole re-emission
    /// when that does not read back as `root`.
    Prepared render(const std::string& oldText, const Value& root) {
        Prepared out;
        const ParsedConfig old = parseConfigText(oldText);
        std::string text = renderEdited(oldText, old.node, old.root, root);
        if (!verifies(text, root)) {
            logger_.warning("config write: the changed keys could not be rewritten in place; re-emitting " + path_ +
                            " (comments are lost)");
            text = emitDocument(root);
            if (!verifies(text, root)) throw std::runtime_error("verification failed");
        }
        out.parsed = parseConfigText(text);
        out.text = std::move(text);
        return out;
    }

    /// Atomic write + read-back check; restores `oldText` when the check
    /// fails. Throws HttpError(500, "failed to save config: ...").
    void persist(const std::string& text, const Value& expected, const std::string& oldText) {
        try {
            writeFileAtomically(target_, text);
        } catch (const std::exception& e) {
            throw sdk::HttpError(500, std::string("failed to save config: ") + e.what());
        }
        bool ok = false;
        try {
            ok = readWholeFile(target_) == text || verifies(readWholeFile(target_), expected);
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
        diskText_ = text;
    }

    /// Load-time write-back of the hashed secret; failure only warns.
    void writeBackHashedSecret(const Prepared& p) {
        try {
            writeFileAtomically(target_, p.text);
            diskText_ = p.text;
            logger_.info("remote-management.secret-key hashed and written back to " + path_);
        } catch (const std::exception& e) {
            logger_.warning("could not write the hashed remote-management.secret-key back to " + path_ + ": " +
                            e.what() + " (running with the in-memory hash)");
        }
    }

    SnapshotPtr publishLocked(const Prepared& p) {
        auto snap = std::make_shared<const sdk::ConfigSnapshot>(p.parsed.root, p.text, ++generation_);
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

    std::mutex writeMutex_;  // one writer (update, replaceText, reload) at a time
    std::atomic<std::uint64_t> reloads_{0};
    std::atomic<std::uint64_t> reloadFailures_{0};
    std::string diskText_;   // what we believe the file holds
    std::string rejectedText_;
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

    std::mutex validatorsMutex_;
    std::vector<std::pair<std::string, std::function<void(const Value&)>>> validators_;

    std::mutex watcherMutex_;
    std::unique_ptr<sdk::DirectoryWatcher> watcher_;
};

}  // namespace

std::shared_ptr<FileConfigStore> FileConfigStore::open(const std::string& path, sdk::Logger& logger) {
    auto store = std::make_shared<Store>(path, logger);
    store->initialLoad();
    return store;
}

}  // namespace cpa::core
