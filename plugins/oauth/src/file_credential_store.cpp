#include "file_credential_store.hpp"

#include <cpa/sdk/text.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>

#include <algorithm>

namespace cpa::oauth {

namespace {

sdk::Value sortedCopy(const sdk::Value& v) {
    if (v.isArray()) {
        sdk::Value out = sdk::Value::array();
        for (const auto& e : v.asArray()) out.push(sortedCopy(e));
        return out;
    }
    if (!v.isObject()) return v;
    sdk::Value::Object members;
    for (const auto& [k, e] : v.asObject()) members.emplace_back(k, sortedCopy(e));
    std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return sdk::Value(std::move(members));
}

}  // namespace

std::string sortedJson(const sdk::Value& v) { return sdk::toJson(sortedCopy(v)) + "\n"; }

FileCredentialStore::FileCredentialStore(std::filesystem::path authDir, sdk::Logger& logger)
    : dir_(std::move(authDir)), logger_(logger) {}

FileCredentialStore::~FileCredentialStore() { stopWatching(); }

void FileCredentialStore::load() {
    dir_.ensureExists();
    try {
        for (const std::string& name : dir_.removeStaleTemps()) {
            logger_.info("removed stale temp file " + name + " left by an interrupted write in the auth dir");
        }
    } catch (const std::exception& e) {
        logger_.warning(std::string("auth dir temp file cleanup failed: ") + e.what());
    }
    rescan();
}

void FileCredentialStore::startWatching() {
    if (watcher_) return;
    // Every entry counts: any file may be a credential; rescan() filters.
    watcher_ = std::make_unique<sdk::DirectoryWatcher>(dir_.path().string(), nullptr, [this] { rescan(); },
                                                       std::chrono::milliseconds(200));
    watcher_->start();
}

void FileCredentialStore::stopWatching() noexcept {
    if (watcher_) watcher_->stop();
    watcher_.reset();
}

void FileCredentialStore::rescan() {
    bool changed = false;
    {
        std::lock_guard writeLock(writeMutex_);
        std::vector<FileInfo> files;
        try {
            files = dir_.listJson();
        } catch (const std::exception& e) {
            logger_.warning(std::string("auth dir scan failed: ") + e.what());
            return;
        }
        std::map<std::string, StoredPtr, std::less<>> next;
        auto current = [&] {
            std::lock_guard lock(mutex_);
            return records_;
        }();
        for (const FileInfo& f : files) {
            auto it = current.find(f.name);
            if (it != current.end() && it->second->size == f.size && it->second->mtimeNs == f.mtimeNs) {
                next.emplace(f.name, it->second);  // unchanged on disk
                continue;
            }
            ReadResult r = dir_.read(f.name);
            if (r.error != FileError::None) continue;
            sdk::Value content;
            try {
                content = sdk::parseJson(r.content);
            } catch (const std::exception&) {
                logger_.warning("ignoring auth file " + f.name + ": invalid JSON");
                continue;
            }
            const StoredCredential* prev = it != current.end() ? it->second.get() : nullptr;
            // A file without `type` stays only if it was uploaded through the API.
            if (StoredPtr rec = buildCredential(dir_.path(), r.info, content, prev, prev != nullptr)) {
                next.emplace(f.name, rec);
                changed = true;
            }
        }
        if (next.size() != current.size()) changed = true;
        std::lock_guard lock(mutex_);
        records_ = std::move(next);
    }
    if (changed) notify();
}

std::vector<sdk::FileCredentialPtr> FileCredentialStore::list() const {
    std::lock_guard lock(mutex_);
    std::vector<sdk::FileCredentialPtr> out;
    out.reserve(records_.size());
    for (const auto& [name, rec] : records_) out.push_back(rec);
    return out;
}

std::vector<StoredPtr> FileCredentialStore::records() const {
    std::lock_guard lock(mutex_);
    std::vector<StoredPtr> out;
    out.reserve(records_.size());
    for (const auto& [name, rec] : records_) out.push_back(rec);
    return out;
}

StoredPtr FileCredentialStore::record(std::string_view fileName) const {
    std::lock_guard lock(mutex_);
    auto it = records_.find(fileName);
    return it == records_.end() ? nullptr : it->second;
}

sdk::FileCredentialPtr FileCredentialStore::findByName(std::string_view fileName) const { return record(fileName); }

sdk::FileCredentialPtr FileCredentialStore::findByAuthIndex(std::string_view authIndex) const {
    if (authIndex.empty()) return nullptr;
    std::lock_guard lock(mutex_);
    for (const auto& [name, rec] : records_) {
        if (rec->authIndex == authIndex) return rec;
    }
    return nullptr;
}

StoredPtr FileCredentialStore::publish(const FileInfo& info, const sdk::Value& content, bool allowUntyped,
                                       const std::string* statusMessage) {
    StoredPtr prev = record(info.name);
    StoredPtr rec = buildCredential(dir_.path(), info, content, prev.get(), allowUntyped);
    if (rec && statusMessage) {
        auto copy = std::make_shared<StoredCredential>(*rec);
        copy->statusMessage = *statusMessage;
        rec = copy;
    }
    {
        std::lock_guard lock(mutex_);
        if (rec)
            records_[info.name] = rec;
        else
            records_.erase(info.name);
    }
    return rec;
}

StoredPtr FileCredentialStore::writeUploaded(std::string_view fileName, std::string_view bytes) {
    sdk::Value content;
    try {
        content = sdk::parseJson(bytes);
    } catch (const std::exception& e) {
        throw std::invalid_argument(std::string("invalid auth file: ") + e.what());
    }
    if (!content.isObject()) throw std::invalid_argument("invalid auth file: not a JSON object");
    StoredPtr rec;
    {
        std::lock_guard writeLock(writeMutex_);
        try {
            dir_.writeAtomic(fileName, bytes);
        } catch (const NotRegularFile&) {
            throw sdk::HttpError(404, "auth file not found");  // as delete and PATCH answer a symlink
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string("failed to write file: ") + e.what());
        }
        const FileInfo info = dir_.stat(fileName).value_or(
            FileInfo{std::string(fileName), static_cast<std::int64_t>(bytes.size()), 0});
        rec = publish(info, content, true, nullptr);
    }
    notify();
    return rec;
}

sdk::FileCredentialPtr FileCredentialStore::saveBytes(std::string_view fileName, std::string_view bytes) {
    if (!isSafeName(fileName) || sdk::trimAscii(fileName) != fileName) throw sdk::HttpError(400, "invalid name");
    try {
        return writeUploaded(fileName, bytes);
    } catch (const sdk::HttpError&) {
        throw;
    } catch (const std::invalid_argument& e) {
        throw sdk::HttpError(400, e.what());
    } catch (const std::runtime_error& e) {
        throw sdk::HttpError(500, e.what());
    }
}

sdk::FileCredentialPtr FileCredentialStore::save(std::string_view fileName, const sdk::Value& content) {
    if (!content.isObject()) throw sdk::HttpError(400, "invalid auth file: not a JSON object");
    return saveBytes(fileName, sdk::toJson(content) + "\n");
}

StoredPtr FileCredentialStore::rewrite(std::string_view fileName, const sdk::Value& metadata,
                                       const std::string& statusMessage) {
    StoredPtr rec;
    {
        std::lock_guard writeLock(writeMutex_);
        if (!record(fileName)) return nullptr;
        dir_.writeAtomic(fileName, sortedJson(metadata));
        const FileInfo info = dir_.stat(fileName).value_or(FileInfo{std::string(fileName), 0, 0});
        rec = publish(info, metadata, true, &statusMessage);
    }
    notify();
    return rec;
}

FileError FileCredentialStore::remove(std::string_view fileName, std::string* message) {
    FileError err;
    {
        std::lock_guard writeLock(writeMutex_);
        err = dir_.remove(fileName, message);
        if (err == FileError::None) {
            std::lock_guard lock(mutex_);
            auto it = records_.find(fileName);
            if (it != records_.end()) records_.erase(it);
        }
    }
    if (err == FileError::None) notify();
    return err;
}

sdk::Subscription FileCredentialStore::subscribe(std::function<void()> listener) {
    auto slot = std::make_shared<std::function<void()>>(std::move(listener));
    std::lock_guard lock(listenersMutex_);
    listeners_.push_back(slot);
    return slot;
}

void FileCredentialStore::notify() {
    std::vector<std::shared_ptr<std::function<void()>>> live;
    {
        std::lock_guard lock(listenersMutex_);
        std::erase_if(listeners_, [](const auto& w) { return w.expired(); });
        for (const auto& w : listeners_) {
            if (auto s = w.lock()) live.push_back(std::move(s));
        }
    }
    for (const auto& l : live) {
        try {
            (*l)();
        } catch (...) {
            logger_.warning("credential store listener threw");
        }
    }
}

}  // namespace cpa::oauth
