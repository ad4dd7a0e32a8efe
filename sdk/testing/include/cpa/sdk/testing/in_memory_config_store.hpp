#pragma once
// sdk::ConfigStore over a Value, with the file-backed store's transaction
// semantics and controls for tests (simulated write failures, reloads).
#include <cpa/sdk/config.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cpa::sdk::testing {

class InMemoryConfigStore : public ConfigStore {
public:
    using TextParser = std::function<Value(const std::string& text)>;

    /// Starts with `{}` (or `root`; null counts as `{}`) at generation 1. A
    /// root that is not an object throws std::invalid_argument. Snapshot text
    /// is the document as indented JSON, which is also valid YAML.
    InMemoryConfigStore();
    explicit InMemoryConfigStore(Value root);
    ~InMemoryConfigStore() override;
    InMemoryConfigStore(const InMemoryConfigStore&) = delete;
    InMemoryConfigStore& operator=(const InMemoryConfigStore&) = delete;

    SnapshotPtr snapshot() const override;
    /// Like the file store: edit a copy (an exception from `edit` aborts with
    /// nothing published); no change → current snapshot, nothing written;
    /// a non-object document or a refusing validator → HttpError(500,
    /// "failed to save config: <reason>"); a pending failNextWrite() →
    /// HttpError(500, "failed to save config: <detail>"); otherwise publish
    /// generation+1 and notify subscribers (outside the lock).
    SnapshotPtr update(const std::function<void(Value& root)>& edit) override;
    /// Needs a parser (setTextParser); without one throws std::logic_error
    /// "replaceText is not supported by InMemoryConfigStore". Parse or
    /// validation errors → std::invalid_argument; a pending failNextWrite()
    /// → HttpError(500, ...). The snapshot keeps `yamlText` as its text.
    SnapshotPtr replaceText(const std::string& yamlText) override;
    Subscription subscribe(std::function<void(const SnapshotPtr&)> listener) override;
    /// A validator with the same name replaces the earlier one.
    void addValidator(std::string name, std::function<void(const Value& root)> validator) override;
    /// Checked like the server does (sdk::checkConfigKeys, then `validate`),
    /// before the validators, on every write and reload; documents have no
    /// lines here. The same owner again replaces its declaration.
    void declare(ConfigDeclaration declaration) override;

    // ---- test controls ----
    /// The next write (update with a change, or replaceText) fails with
    /// HttpError(500, "failed to save config: <detail>") and changes nothing.
    void failNextWrite(std::string detail = "simulated write failure");
    /// E.g. the core's YAML parser, to make replaceText work.
    void setTextParser(TextParser parser);
    /// Simulates an external edit picked up by the watcher: validators run
    /// (their std::invalid_argument propagates and nothing is published),
    /// then the document is published and subscribers notified.
    SnapshotPtr reload(Value root);
    /// Successful writes (update with a change, replaceText); reloads excluded.
    std::size_t writeCount() const;
    std::vector<std::string> validatorNames() const;
    /// What modules declared, in order.
    std::vector<ConfigDeclaration> declarations() const;
    /// Live subscriptions.
    std::size_t subscriberCount() const;

private:
    using Listener = std::function<void(const SnapshotPtr&)>;
    using Validator = std::function<void(const Value&)>;

    void validate(const Value& root) const;
    SnapshotPtr publish(Value root, std::string text);
    void notify(const SnapshotPtr& snap);
    std::optional<std::string> takeFailure();

    mutable std::mutex snapshotMutex_;
    SnapshotPtr current_;
    std::mutex writeMutex_;  // serialises transactions
    mutable std::mutex stateMutex_;  // validators, listeners, controls
    std::vector<std::pair<std::string, Validator>> validators_;
    std::vector<ConfigDeclaration> declarations_;
    std::vector<std::weak_ptr<Listener>> listeners_;
    std::optional<std::string> failNext_;
    TextParser parser_;
    std::size_t writes_ = 0;
};

}  // namespace cpa::sdk::testing
