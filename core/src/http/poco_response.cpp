#include "http/poco_response.hpp"

#include "http/poco_request.hpp"

#include <Poco/Net/HTTPResponse.h>

#include <algorithm>
#include <stdexcept>

namespace cpa::core {

namespace {

bool bodyless(int status) { return status < 200 || status == 204 || status == 304; }

// Framing headers belong to the server, never to a handler.
bool framingHeader(std::string_view name) {
    return headerNameEquals(name, "Content-Length") || headerNameEquals(name, "Transfer-Encoding") ||
           headerNameEquals(name, "Connection");
}

}  // namespace

PocoResponse::PocoResponse(Poco::Net::HTTPServerResponse& res, bool headRequest, bool http10)
    : res_(res), head_(headRequest), http10_(http10) {}

void PocoResponse::closeAfter() noexcept {
    close_ = true;
    try {
        // Poco decides about the next request from this flag after the handler.
        res_.setKeepAlive(false);
    } catch (...) {
    }
}

void PocoResponse::setStatus(int status) {
    if (streaming_) return;
    if (status < 100 || status > 999) throw std::invalid_argument("invalid HTTP status " + std::to_string(status));
    status_ = status;
}

void PocoResponse::setHeader(std::string_view name, std::string_view value) {
    if (streaming_) return;
    auto it = std::find_if(headers_.begin(), headers_.end(),
                           [name](const sdk::Header& h) { return headerNameEquals(h.first, name); });
    if (it == headers_.end()) {
        headers_.emplace_back(std::string(name), std::string(value));
        return;
    }
    it->second = std::string(value);
    // Replace means one value: drop later duplicates added with addHeader.
    headers_.erase(std::remove_if(std::next(it), headers_.end(),
                                  [name](const sdk::Header& h) { return headerNameEquals(h.first, name); }),
                   headers_.end());
}

void PocoResponse::addHeader(std::string_view name, std::string_view value) {
    if (streaming_) return;
    headers_.emplace_back(std::string(name), std::string(value));
}

std::optional<std::string> PocoResponse::header(std::string_view name) const {
    for (const auto& [k, v] : headers_)
        if (headerNameEquals(k, name)) return v;
    return std::nullopt;
}

void PocoResponse::setBody(std::string body, std::string_view contentType) {
    if (streaming_) return;
    body_ = std::move(body);
    if (!contentType.empty()) setHeader("Content-Type", contentType);
}

void PocoResponse::reset(const std::vector<std::string>& keep) {
    if (streaming_) return;
    status_ = 200;
    body_.clear();
    headers_.erase(std::remove_if(headers_.begin(), headers_.end(),
                                  [&keep](const sdk::Header& h) {
                                      return std::none_of(keep.begin(), keep.end(), [&h](const std::string& k) {
                                          return headerNameEquals(h.first, k);
                                      });
                                  }),
                   headers_.end());
}

void PocoResponse::commitHeaders() {
    res_.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status_));
    for (const auto& [name, value] : headers_) {
        if (framingHeader(name)) continue;
        if (headerNameEquals(name, "Content-Type")) {
            res_.setContentType(value);
        } else {
            res_.add(name, value);
        }
    }
    if (close_) res_.setKeepAlive(false);
}

sdk::StreamWriter& PocoResponse::stream() {
    if (streaming_) return writer_;
    if (sent_) throw std::logic_error("response already sent");
    streaming_ = true;
    commitHeaders();
    if (http10_) {
        res_.setKeepAlive(false);  // no chunked encoding: the body ends with the connection
    } else if (!head_ && !bodyless(status_)) {
        res_.setChunkedTransferEncoding(true);
    }
    try {
        out_ = &res_.send();
        out_->flush();  // the client sees the status and headers now
        if (!out_->good()) gone_ = true;
    } catch (...) {
        gone_ = true;
    }
    return writer_;
}

bool PocoResponse::writeChunk(std::string_view chunk) {
    if (gone_ || out_ == nullptr) return false;
    // An empty write would end a chunked body early.
    if (chunk.empty()) return true;
    try {
        out_->write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        if (!out_->good()) gone_ = true;
        else bytesWritten_ += chunk.size();
    } catch (...) {
        gone_ = true;
    }
    return !gone_;
}

bool PocoResponse::flushStream() {
    if (gone_ || out_ == nullptr) return false;
    try {
        out_->flush();
        if (!out_->good()) gone_ = true;
    } catch (...) {
        gone_ = true;
    }
    return !gone_;
}

bool PocoStreamWriter::write(std::string_view chunk) { return owner_.writeChunk(chunk); }
bool PocoStreamWriter::flush() { return owner_.flushStream(); }

bool PocoResponse::send() noexcept {
    if (sent_) return !gone_;
    sent_ = true;
    if (streaming_) return flushStream();
    try {
        commitHeaders();
        if (!bodyless(status_)) res_.setContentLength64(static_cast<Poco::Int64>(body_.size()));
        std::ostream& out = res_.send();
        if (!head_ && !bodyless(status_) && !body_.empty()) {
            out.write(body_.data(), static_cast<std::streamsize>(body_.size()));
            bytesWritten_ = body_.size();
        }
        out.flush();
        if (!out.good()) gone_ = true;
    } catch (...) {
        gone_ = true;
    }
    return !gone_;
}

}  // namespace cpa::core
