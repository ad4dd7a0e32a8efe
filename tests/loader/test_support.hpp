#pragma once
// Small stand-ins for the loader tests: a config store that is never read,
// minimal request/response views, and a capture of the process log sink.
#include "runtime/logger.hpp"

#include <cpa/sdk/config.hpp>
#include <cpa/sdk/http.hpp>

#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cpa::loader_test {

class NullConfigStore final : public sdk::ConfigStore {
public:
    sdk::SnapshotPtr snapshot() const override { return nullptr; }
    sdk::SnapshotPtr update(const std::function<void(sdk::Value&)>&) override {
        throw std::logic_error("not used");
    }
    sdk::SnapshotPtr replaceText(const std::string&) override { throw std::logic_error("not used"); }
    sdk::Subscription subscribe(std::function<void(const sdk::SnapshotPtr&)>) override { return nullptr; }
    void addValidator(std::string, std::function<void(const sdk::Value&)>) override {}
    void declare(sdk::ConfigDeclaration) override {}
};

class MiniRequest final : public sdk::Request {
public:
    explicit MiniRequest(std::string path) : path_(std::move(path)) {}
    sdk::Method method() const override { return sdk::Method::Get; }
    const std::string& path() const override { return path_; }
    std::string param(std::string_view) const override { return {}; }
    std::optional<std::string> query(std::string_view) const override { return std::nullopt; }
    const std::vector<sdk::Header>& queryParams() const override { return none_; }
    std::optional<std::string> header(std::string_view) const override { return std::nullopt; }
    const std::vector<sdk::Header>& headers() const override { return none_; }
    const std::string& body() const override { return empty_; }
    const std::string& peerAddress() const override { return peer_; }
    const std::string& clientIp() const override { return peer_; }
    const std::string& requestId() const override { return id_; }
    sdk::Access access() const override { return sdk::Access::Public; }
    const std::string& routePattern() const override { return path_; }
    void setAttribute(std::string, sdk::Value) override {}
    const sdk::Value* attribute(std::string_view) const override { return nullptr; }

private:
    std::string path_;
    std::vector<sdk::Header> none_;
    std::string empty_;
    std::string peer_ = "127.0.0.1";
    std::string id_ = "abcd1234";
};

class MiniResponse final : public sdk::Response {
public:
    void setStatus(int status) override { status_ = status; }
    int status() const override { return status_; }
    void setHeader(std::string_view name, std::string_view value) override {
        headers_.emplace_back(std::string(name), std::string(value));
    }
    void addHeader(std::string_view name, std::string_view value) override { setHeader(name, value); }
    std::optional<std::string> header(std::string_view name) const override {
        for (const auto& h : headers_) {
            if (h.first == name) return h.second;
        }
        return std::nullopt;
    }
    void setBody(std::string body, std::string_view contentType) override {
        body_ = std::move(body);
        contentType_ = contentType;
    }
    const std::string& body() const override { return body_; }
    sdk::StreamWriter& stream() override { throw std::logic_error("not used"); }
    bool streaming() const override { return false; }
    const std::string& contentType() const { return contentType_; }

private:
    int status_ = 200;
    std::vector<sdk::Header> headers_;
    std::string body_;
    std::string contentType_;
};

/// Captures the process log sink for the lifetime of the object.
class LogCapture {
public:
    LogCapture() {
        core::LogSink::instance().setWriter([this](std::string_view line) {
            std::lock_guard lock(mutex_);
            lines_.emplace_back(line);
        });
    }
    ~LogCapture() { core::LogSink::instance().setWriter(nullptr); }
    std::vector<std::string> lines() const {
        std::lock_guard lock(mutex_);
        return lines_;
    }
    bool contains(std::string_view needle) const {
        for (const auto& l : lines()) {
            if (l.find(needle) != std::string::npos) return true;
        }
        return false;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

}  // namespace cpa::loader_test
