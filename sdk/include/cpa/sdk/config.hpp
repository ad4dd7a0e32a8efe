#pragma once
// The configuration store: immutable snapshots for readers, one serialised
// transaction for writers (see docs/architecture.md §5).
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/value.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace cpa::sdk {

/// The largest config.yaml the store parses (and PUT /config.yaml accepts):
/// larger documents are refused before parsing.
inline constexpr std::size_t kMaxConfigDocumentBytes = 8u * 1024 * 1024;

/// One published state of config.yaml. Never changes after publication.
class CPA_SDK_API ConfigSnapshot {
public:
    ConfigSnapshot(Value root, std::string text, std::uint64_t generation);
    ~ConfigSnapshot();

    /// The parsed document (top level is an object; an empty file is {}).
    /// Scalars are typed by YAML's core schema: plain `true`/`false` → Bool,
    /// integers → Int, floats → Double, `null`/`~`/empty → Null, quoted → String.
    const Value& root() const noexcept { return root_; }
    /// The file's text this snapshot was parsed from.
    const std::string& text() const noexcept { return text_; }
    /// Increases with every publication (writes and reloads).
    std::uint64_t generation() const noexcept { return generation_; }

    const Value* find(std::string_view dottedPath) const { return root_.findPath(dottedPath); }
    bool getBool(std::string_view dottedPath, bool fallback) const;
    std::int64_t getInt(std::string_view dottedPath, std::int64_t fallback) const;
    /// Strings as written; Bool/Int/Double scalars are rendered as text.
    std::string getString(std::string_view dottedPath, std::string fallback) const;

private:
    Value root_;
    std::string text_;
    std::uint64_t generation_;
};

using SnapshotPtr = std::shared_ptr<const ConfigSnapshot>;

/// Opaque handle; destroying it or calling reset() ends the subscription.
using Subscription = std::shared_ptr<void>;

class CPA_SDK_API ConfigStore {
public:
    virtual ~ConfigStore();

    /// The current snapshot; cheap, lock-free for the caller's purposes.
    virtual SnapshotPtr snapshot() const = 0;

    /// One write transaction. `edit` receives a private copy of the document
    /// and may change it, or throw (e.g. HttpError) to abort with nothing
    /// written. On success only the changed top-level keys' lines are
    /// rewritten, the file is replaced atomically and the new snapshot is
    /// published before this returns. A persistence failure throws
    /// HttpError(500, "failed to save config: <detail>") and changes nothing.
    /// Edits that change nothing write nothing and return the current snapshot.
    virtual SnapshotPtr update(const std::function<void(Value& root)>& edit) = 0;

    /// Replaces the whole document with `yamlText` (PUT /config.yaml). The text
    /// must parse and validate; it is written as given (after secret hashing).
    virtual SnapshotPtr replaceText(const std::string& yamlText) = 0;

    /// Called after every publication (writes and external reloads), on the
    /// publishing thread, outside the writer lock. Must not throw.
    virtual Subscription subscribe(std::function<void(const SnapshotPtr&)> listener) = 0;

    /// A validator sees every candidate document (load, reload, write) and
    /// throws std::invalid_argument (message shown to the operator) to refuse it.
    virtual void addValidator(std::string name, std::function<void(const Value& root)> validator) = 0;
};

}  // namespace cpa::sdk
