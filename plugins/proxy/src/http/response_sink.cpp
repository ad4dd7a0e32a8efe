#include "http/response_sink.hpp"

namespace cpa::proxy {

bool ResponseSink::begin(int status, const HeaderList& headers) {
    if (writer_) return !gone_;
    response_.setStatus(status);
    for (const auto& [name, value] : headers) response_.setHeader(name, value);
    writer_ = &response_.stream();
    gone_ = !writer_->flush();
    return !gone_;
}

bool ResponseSink::write(std::string_view bytes) {
    if (!writer_ && !begin(200, {})) return false;
    if (gone_) return false;
    if (captured_.size() < captureLimit_) captured_.append(bytes.substr(0, captureLimit_ - captured_.size()));
    gone_ = !writer_->write(bytes) || !writer_->flush();
    return !gone_;
}

}  // namespace cpa::proxy
