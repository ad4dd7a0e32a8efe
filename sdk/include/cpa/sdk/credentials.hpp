#pragma once
// The credential store service, "cpa.CredentialStore/1": the auth-dir's
// credential files (auth-files.md §1) as the oauth module keeps them. The
// OAuth login flows save through it; the data plane and /api-call read it.
#include <cpa/sdk/config.hpp>
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/services.hpp>
#include <cpa/sdk/value.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::sdk {

/// One file-backed credential, immutable once published.
struct FileCredential {
    std::string id;         ///< name relative to auth-dir, e.g. "alpha.json"
    std::string fileName;   ///< same as id
    std::string authIndex;  ///< fileAuthIndex(fileName) (D10)
    std::string provider;   ///< the file's `type`, lower-cased (`gemini` → `gemini-cli`)
    std::string label;      ///< label, else email, else project_id
    std::string email;
    bool disabled{};
    std::string status;     ///< active | disabled | error ...
    std::string statusMessage;
    std::filesystem::path path;  ///< absolute path inside auth-dir
    std::int64_t size{};
    std::int64_t modifiedUnixMs{};
    Value metadata;         ///< the whole parsed JSON object
};
using FileCredentialPtr = std::shared_ptr<const FileCredential>;

class CPA_SDK_API CredentialStore {
public:
    virtual ~CredentialStore();
    /// The resolved auth directory (absolute).
    virtual std::filesystem::path authDir() const = 0;
    /// Every file credential, sorted by file name.
    virtual std::vector<FileCredentialPtr> list() const = 0;
    virtual FileCredentialPtr findByName(std::string_view fileName) const = 0;
    virtual FileCredentialPtr findByAuthIndex(std::string_view authIndex) const = 0;
    /// Writes `content` (a JSON object) as `<auth-dir>/<fileName>` atomically
    /// with mode 0600 and publishes it before returning. The name must pass
    /// the safety rule (auth-files.md §1.4, D12); throws HttpError(400) if not,
    /// HttpError(500) when the write fails (nothing changed then).
    virtual FileCredentialPtr save(std::string_view fileName, const Value& content) = 0;
    /// Like save() but writes `bytes` verbatim (they must parse as a JSON
    /// object; HttpError(400, "invalid auth file: <reason>") if not), so a
    /// caller controls the exact file layout (indented, key order).
    virtual FileCredentialPtr saveBytes(std::string_view fileName, std::string_view bytes) = 0;
    /// Called after every change of the set (save, delete, watcher), on the
    /// changing thread. Must not throw.
    virtual Subscription subscribe(std::function<void()> listener) = 0;
};

inline constexpr ServiceKey<CredentialStore> kCredentialStoreService{"cpa.CredentialStore/1"};

}  // namespace cpa::sdk
