#include "http/poco_request.hpp"

#include "http/query_string.hpp"

#include <cpa/sdk/errors.hpp>

#include <Poco/Net/HTTPMessage.h>

#include <cstdint>
#include <istream>
#include <stdexcept>

namespace cpa::core {

namespace {

// A handler that ignored a body this small costs little to drain; anything
// bigger is cheaper to cut off by closing the connection.
constexpr std::size_t kDrainLimit = 256 * 1024;

char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool headerNameEquals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
    return true;
}

PocoRequest::PocoRequest(ServerRequest& req, RequestLine line, std::string peer,
                         std::string clientIp, std::string requestId, std::size_t maxBodyBytes)
    : req_(req),
      line_(std::move(line)),
      peer_(std::move(peer)),
      clientIp_(std::move(clientIp)),
      requestId_(std::move(requestId)),
      maxBodyBytes_(maxBodyBytes),
      query_(parseQuery(line_.rawQuery)) {
    headers_.reserve(req.size());
    for (const auto& [name, value] : req) headers_.emplace_back(name, value);
}

const std::string PocoRequest::kNoPattern;

void PocoRequest::setRoute(sdk::Method method, sdk::Access access, const std::string& pattern,
                           std::vector<sdk::Header> params) {
    method_ = method;
    access_ = access;
    pattern_ = &pattern;
    params_ = std::move(params);
}

std::string PocoRequest::param(std::string_view name) const {
    for (const auto& [k, v] : params_)
        if (k == name) return v;
    return {};
}

std::optional<std::string> PocoRequest::query(std::string_view name) const {
    for (const auto& [k, v] : query_)
        if (k == name) return v;
    return std::nullopt;
}

std::optional<std::string> PocoRequest::header(std::string_view name) const {
    for (const auto& [k, v] : headers_)
        if (headerNameEquals(k, name)) return v;
    return std::nullopt;
}

const std::string& PocoRequest::body() const {
    switch (bodyState_) {
        case BodyState::Read:
            return body_;
        case BodyState::TooLarge:
            throw sdk::HttpError(413, "request body too large");
        case BodyState::Failed:
            throw sdk::HttpError(400, "failed to read request body");
        case BodyState::Unread:
            break;
    }
    // HTTP/1.1: no Content-Length and not chunked means no body (never read to EOF).
    if (!req_.getChunkedTransferEncoding() && !req_.hasContentLength()) {
        bodyState_ = BodyState::Read;
        return body_;
    }
    const std::size_t limit = maxBodyBytes_ == 0 ? static_cast<std::size_t>(-1) : maxBodyBytes_;
    if (req_.hasContentLength() && req_.getContentLength64() >= 0 &&
        static_cast<std::uint64_t>(req_.getContentLength64()) > limit) {
        bodyState_ = BodyState::TooLarge;
        throw sdk::HttpError(413, "request body too large");
    }
    try {
        std::istream& in = req_.body();
        if (req_.hasContentLength() && req_.getContentLength64() > 0)
            body_.reserve(static_cast<std::size_t>(req_.getContentLength64()));
        char buf[16384];
        while (in) {
            in.read(buf, sizeof buf);
            const auto n = static_cast<std::size_t>(in.gcount());
            if (n == 0) break;
            // Chunked bodies have no announced size: count while reading.
            if (body_.size() + n > limit) {
                body_.clear();
                body_.shrink_to_fit();
                bodyState_ = BodyState::TooLarge;
                throw sdk::HttpError(413, "request body too large");
            }
            body_.append(buf, n);
        }
        if (in.bad()) throw std::runtime_error("read error");
    } catch (const sdk::HttpError&) {
        throw;
    } catch (...) {
        body_.clear();
        bodyState_ = BodyState::Failed;
        throw sdk::HttpError(400, "failed to read request body");
    }
    if (req_.hasContentLength() && static_cast<std::int64_t>(body_.size()) != req_.getContentLength64()) {
        // The peer went away before sending all it announced.
        body_.clear();
        bodyState_ = BodyState::Failed;
        throw sdk::HttpError(400, "failed to read request body");
    }
    bodyState_ = BodyState::Read;
    return body_;
}

bool PocoRequest::finishBody() noexcept {
    if (bodyState_ == BodyState::Read) return true;
    if (bodyState_ != BodyState::Unread) return false;
    try {
        if (!req_.getChunkedTransferEncoding() && req_.hasContentLength() &&
            req_.getContentLength64() > static_cast<std::int64_t>(kDrainLimit)) {
            // Not worth reading just to keep the connection: close it instead.
            bodyState_ = BodyState::TooLarge;
            return false;
        }
        // Read, not discarded: onComplete (e.g. request logging) may still want it.
        (void)body();
        return true;
    } catch (...) {
        return false;
    }
}

void PocoRequest::setAttribute(std::string key, sdk::Value v) { attributes_[std::move(key)] = std::move(v); }

const sdk::Value* PocoRequest::attribute(std::string_view key) const {
    const auto it = attributes_.find(key);
    return it == attributes_.end() ? nullptr : &it->second;
}

}  // namespace cpa::core
