#pragma once
// ClientSink over cpa::sdk::Response::stream(): commits status and headers on
// the first write and flushes every chunk (data-plane §8). Keeps a bounded
// copy of what was sent for the request log (data-plane.md §12).
#include "exec/executor.hpp"

#include <cpa/sdk/http.hpp>

#include <string>

namespace cpa::proxy {

class ResponseSink final : public ClientSink {
public:
    static constexpr std::size_t kDefaultCaptureLimit = 4u << 20;
    /// captureLimit 0: nothing is kept (no request log wants it).
    explicit ResponseSink(sdk::Response& response, std::size_t captureLimit = kDefaultCaptureLimit)
        : response_(response), captureLimit_(captureLimit) {}

    bool begin(int status, const HeaderList& headers) override;
    bool write(std::string_view bytes) override;
    bool begun() const override { return writer_ != nullptr; }

    const std::string& captured() const noexcept { return captured_; }
    /// A failed write, or (asked while waiting) the client's hang-up seen by the server.
    bool clientGone() const override { return gone_ || response_.clientGone(); }

private:
    sdk::Response& response_;
    sdk::StreamWriter* writer_ = nullptr;
    std::size_t captureLimit_;
    std::string captured_;
    bool gone_ = false;
};

}  // namespace cpa::proxy
