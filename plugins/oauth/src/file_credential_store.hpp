#pragma once
// "cpa.CredentialStore/1": the credential files of auth-dir, loaded at start,
// kept in sync by an inotify watcher (debounced) and changed only through
// atomic writes in the directory (auth_dir.hpp).
#include "auth_dir.hpp"
#include "credential_record.hpp"

#include <cpa/sdk/credentials.hpp>
#include <cpa/sdk/directory_watcher.hpp>
#include <cpa/sdk/module.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace cpa::oauth {

class FileCredentialStore final : public sdk::CredentialStore {
public:
    FileCredentialStore(std::filesystem::path authDir, sdk::Logger& logger);
    ~FileCredentialStore() override;

    /// Creates the directory when missing and loads every file.
    void load();
    /// Starts the directory watcher (debounce 200 ms).
    void startWatching();
    void stopWatching() noexcept;
    /// Re-reads the directory now (the watcher calls this).
    void rescan();

    // sdk::CredentialStore
    std::filesystem::path authDir() const override { return dir_.path(); }
    std::vector<sdk::FileCredentialPtr> list() const override;
    sdk::FileCredentialPtr findByName(std::string_view fileName) const override;
    sdk::FileCredentialPtr findByAuthIndex(std::string_view authIndex) const override;
    sdk::FileCredentialPtr save(std::string_view fileName, const sdk::Value& content) override;
    sdk::FileCredentialPtr saveBytes(std::string_view fileName, std::string_view bytes) override;
    sdk::Subscription subscribe(std::function<void()> listener) override;

    /// The records with their times, sorted by file name.
    std::vector<StoredPtr> records() const;
    StoredPtr record(std::string_view fileName) const;
    const AuthDir& dir() const noexcept { return dir_; }

    /// The upload path (auth-files.md §7.3): `bytes` must be a JSON object
    /// (else std::invalid_argument "invalid auth file: <reason>"), written
    /// verbatim; a file without `type` is registered as provider "unknown".
    /// Write failures throw std::runtime_error "failed to write file: <err>".
    StoredPtr writeUploaded(std::string_view fileName, std::string_view bytes);
    /// Rewrites a record's metadata (PATCH status/fields) as compact JSON with
    /// sorted keys; `statusMessage` replaces the record's message. Throws
    /// std::runtime_error on write failure; nullptr when the record is gone.
    StoredPtr rewrite(std::string_view fileName, const sdk::Value& metadata, const std::string& statusMessage);
    /// Removes the file and forgets the record.
    FileError remove(std::string_view fileName, std::string* message = nullptr);

private:
    StoredPtr publish(const FileInfo& info, const sdk::Value& content, bool allowUntyped,
                      const std::string* statusMessage);
    void notify();

    AuthDir dir_;
    sdk::Logger& logger_;
    mutable std::mutex mutex_;  // guards records_
    std::map<std::string, StoredPtr, std::less<>> records_;
    std::mutex writeMutex_;  // serialises writes and rescans
    std::mutex listenersMutex_;
    std::vector<std::weak_ptr<std::function<void()>>> listeners_;
    std::unique_ptr<sdk::DirectoryWatcher> watcher_;
};

/// Sorted-key compact JSON followed by "\n" (the layout the original's file store writes).
std::string sortedJson(const sdk::Value& v);

}  // namespace cpa::oauth
