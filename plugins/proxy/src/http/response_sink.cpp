#include "http/response_sink.hpp"

namespace cpa::proxy {

bool ResponseSink::begin(int status, const HeaderList& headers) {
    if (writer_) return !gone_;
    response_.setStatus(status);
    for (const auto& [name, value] : headers) response_.setHeader(name, value);
    // No flush here: the head goes out with the first event (or keep-alive
    // newline) written right after, in one send, as the original's does.
    writer_ = &response_.stream();
    return true;
}

bool ResponseSink::write(std::string_view bytes) {
    if (!writer_ && !begin(200, {})) return false;
    if (gone_) return false;
    if (captured_.size() < captureLimit_) captured_.append(bytes.substr(0, captureLimit_ - captured_.size()));
    gone_ = !writer_->write(bytes) || !writer_->flush();
    return !gone_;
}

}  // namespace cpa::proxy
