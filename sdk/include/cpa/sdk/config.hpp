#pragma once
// The configuration store: immutable snapshots for readers, one serialised
// transaction for writers (see docs/architecture.md §5).
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/value.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

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

/// The type a declared config key must have. A null (or absent) value always
/// passes: the reader's default applies.
enum class ConfigType {
    Any,           ///< declared (not unknown), any type
    String,        ///< any scalar (booleans and numbers read as text)
    Bool,          ///< true/false; YAML 1.1 words (yes/no/on/off/y/n) become booleans
    Int,           ///< an integer within [min, max]
    Mapping,       ///< a section; its declared members are its only known members
    List,          ///< a list of anything
    StringList,    ///< a list of non-null scalars
    StringOrList,  ///< one scalar or a list of non-null scalars
};

struct ConfigKey {
    std::string path;  ///< "port", or a section member "routing.strategy"
    ConfigType type = ConfigType::Any;
    std::int64_t min = std::numeric_limits<std::int64_t>::min();  ///< Int only
    std::int64_t max = std::numeric_limits<std::int64_t>::max();  ///< Int only
};

/// The keys of config.yaml a module reads, declared by the module itself.
struct ConfigDeclaration {
    std::string owner;           ///< the module's name, for messages
    std::vector<ConfigKey> keys;  ///< parents before their members
    /// Optional rules beyond the types, run after them on every candidate
    /// document: throw std::invalid_argument to refuse it (like addValidator).
    std::function<void(const Value& root)> validate;
};

/// Checks `root` against `keys` in order; the first mismatch throws
/// std::invalid_argument "line N: routing.strategy: expected a string, got a
/// list" ("line N: " when `lineOf` returns a line > 0 for the path).
CPA_SDK_API void checkConfigKeys(const Value& root, const std::vector<ConfigKey>& keys,
                                 const std::function<int(const std::string& path)>& lineOf = {});
/// YAML 1.1 boolean words (yes/no/on/off/y/n, any case form Go accepts) of
/// declared Bool keys become booleans, as the original's decoder reads them.
CPA_SDK_API void coerceConfigBooleans(Value& root, const std::vector<ConfigKey>& keys);

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

    /// Declares the keys a module reads (call it in configure; the same owner
    /// again replaces its declaration). Every candidate document (start-up,
    /// reload, write, PUT /config.yaml) is checked against it with the line of
    /// the offending key, as the core checks its own keys; at start-up and on
    /// reloads the server logs a warning with file and line for a top-level key
    /// nobody declares and for an undeclared member of a declared Mapping.
    virtual void declare(ConfigDeclaration declaration) = 0;
};

}  // namespace cpa::sdk
