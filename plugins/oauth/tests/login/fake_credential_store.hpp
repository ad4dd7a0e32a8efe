#pragma once
// An in-memory cpa.CredentialStore for the login unit tests: records saves.
#include <cpa/sdk/credentials.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>

#include <map>
#include <mutex>

namespace cpa::oauth::login::testing {

class FakeCredentialStore final : public cpa::sdk::CredentialStore {
public:
    std::filesystem::path authDir() const override { return "/nonexistent/auth"; }
    std::vector<cpa::sdk::FileCredentialPtr> list() const override {
        std::lock_guard lock(mutex_);
        std::vector<cpa::sdk::FileCredentialPtr> out;
        for (const auto& [name, c] : files_) out.push_back(c);
        return out;
    }
    cpa::sdk::FileCredentialPtr findByName(std::string_view fileName) const override {
        std::lock_guard lock(mutex_);
        auto it = files_.find(std::string(fileName));
        return it == files_.end() ? nullptr : it->second;
    }
    cpa::sdk::FileCredentialPtr findByAuthIndex(std::string_view) const override { return nullptr; }
    cpa::sdk::FileCredentialPtr save(std::string_view fileName, const cpa::sdk::Value& content) override {
        std::lock_guard lock(mutex_);
        if (failSaves) throw cpa::sdk::HttpError(500, "disk full");
        auto c = std::make_shared<cpa::sdk::FileCredential>();
        c->id = c->fileName = std::string(fileName);
        c->metadata = content;
        files_[c->fileName] = c;
        return c;
    }
    cpa::sdk::FileCredentialPtr saveBytes(std::string_view fileName, std::string_view bytes) override {
        auto c = save(fileName, cpa::sdk::parseJson(bytes));
        std::lock_guard lock(mutex_);
        raw_[std::string(fileName)] = std::string(bytes);
        return c;
    }
    std::string rawBytes(const std::string& fileName) const {
        std::lock_guard lock(mutex_);
        auto it = raw_.find(fileName);
        return it == raw_.end() ? std::string{} : it->second;
    }
    cpa::sdk::Subscription subscribe(std::function<void()>) override { return std::make_shared<int>(0); }

    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return files_.size();
    }
    bool failSaves = false;

private:
    mutable std::mutex mutex_;
    std::map<std::string, cpa::sdk::FileCredentialPtr> files_;
    std::map<std::string, std::string> raw_;
};

}  // namespace cpa::oauth::login::testing
