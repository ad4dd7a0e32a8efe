#include "http/server_request.hpp"

#include "http/query_string.hpp"

#include <cpa/sdk/errors.hpp>


#include <malloc.h>

#include <cstdint>
#include <stdexcept>

namespace cpa::core {

namespace {

// A handler that ignored a body this small costs little to drain; anything
// bigger is cheaper to cut off by closing the connection.
constexpr std::size_t kDrainLimit = 256 * 1024;

}  // namespace

ServerRequest::ServerRequest(RequestHead& head, ConnectionReader& reader, RequestLine line, std::string peer,
                         std::string clientIp, std::string requestId, std::size_t maxBodyBytes)
    : head_(head),
      reader_(reader),
      line_(std::move(line)),
      peer_(std::move(peer)),
      clientIp_(std::move(clientIp)),
      requestId_(std::move(requestId)),
      maxBodyBytes_(maxBodyBytes),
      query_(parseQuery(line_.rawQuery)),
      headers_(std::move(head.headers)) {}

const std::string ServerRequest::kNoPattern;

void ServerRequest::setRoute(sdk::Method method, sdk::Access access, const std::string& pattern,
                           std::vector<sdk::Header> params) {
    method_ = method;
    access_ = access;
    pattern_ = &pattern;
    params_ = std::move(params);
}

std::string ServerRequest::param(std::string_view name) const {
    for (const auto& [k, v] : params_)
        if (k == name) return v;
    return {};
}

std::optional<std::string> ServerRequest::query(std::string_view name) const {
    for (const auto& [k, v] : query_)
        if (k == name) return v;
    return std::nullopt;
}

std::optional<std::string> ServerRequest::header(std::string_view name) const {
    for (const auto& [k, v] : headers_)
        if (headerNameEquals(k, name)) return v;
    return std::nullopt;
}

ServerRequest::~ServerRequest() {
    // glibc keeps freed large blocks in the heap; 1 MiB and up is rare enough
    // for a trim each time.
    if (body_.capacity() < (1u << 20)) return;
    std::string().swap(body_);
    ::malloc_trim(0);
}

void ServerRequest::continueIfAsked() const {
    // Only a client that has not started sending waits for the interim answer.
    if (!head_.expectContinue || reader_.bodyStarted() || reader_.hasBuffered()) return;
    static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
    reader_.socket().sendBytes(kContinue, sizeof kContinue - 1);
}

const std::string& ServerRequest::body() const {
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
    const std::size_t limit = maxBodyBytes_ == 0 ? static_cast<std::size_t>(-1) : maxBodyBytes_;
    if (head_.contentLength && *head_.contentLength > limit) {
        bodyState_ = BodyState::TooLarge;
        throw sdk::HttpError(413, "request body too large");
    }
    try {
        continueIfAsked();
        if (head_.contentLength) body_.reserve(static_cast<std::size_t>(*head_.contentLength));
        char buf[16384];
        for (;;) {
            const std::size_t n = reader_.readBody(buf, sizeof buf);
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
    } catch (const sdk::HttpError&) {
        throw;
    } catch (...) {
        // The peer went away (or broke the chunked framing) mid-body.
        body_.clear();
        bodyState_ = BodyState::Failed;
        throw sdk::HttpError(400, "failed to read request body");
    }
    bodyState_ = BodyState::Read;
    return body_;
}

bool ServerRequest::finishBody() noexcept {
    if (bodyState_ == BodyState::Read) return true;
    if (bodyState_ != BodyState::Unread) return false;
    if (reader_.bodyDone()) return true;
    // The client waits for a "100 Continue" that was never sent: asking for
    // the body now would only delay the answer. Close instead.
    if (head_.expectContinue && !reader_.bodyStarted() && !reader_.hasBuffered()) return false;
    try {
        if (head_.contentLength && *head_.contentLength > kDrainLimit) {
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

void ServerRequest::setAttribute(std::string key, sdk::Value v) { attributes_[std::move(key)] = std::move(v); }

const sdk::Value* ServerRequest::attribute(std::string_view key) const {
    const auto it = attributes_.find(key);
    return it == attributes_.end() ? nullptr : &it->second;
}

}  // namespace cpa::core
