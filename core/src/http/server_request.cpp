#include "http/server_request.hpp"

#include <Poco/Net/HTTPChunkedStream.h>
#include <Poco/Net/HTTPFixedLengthStream.h>
#include <Poco/Net/HTTPHeaderStream.h>
#include <Poco/Net/HTTPStream.h>

namespace cpa::core {

void ServerRequest::readHead() {
    Poco::Net::HTTPHeaderInputStream head(session_);
    read(head);
    // The same choice of body framing as Poco's own server request.
    if (getChunkedTransferEncoding()) {
        body_.reset(new Poco::Net::HTTPChunkedInputStream(session_));
    } else if (hasContentLength()) {
        body_.reset(new Poco::Net::HTTPFixedLengthInputStream(session_, getContentLength64()));
    } else if (getMethod() == HTTP_GET || getMethod() == HTTP_HEAD || getMethod() == HTTP_DELETE) {
        body_.reset(new Poco::Net::HTTPFixedLengthInputStream(session_, 0));
    } else {
        body_.reset(new Poco::Net::HTTPInputStream(session_));
    }
}

std::istream& ServerRequest::body() {
    if (!continueSent_ && getExpectContinue()) {
        continueSent_ = true;
        static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
        session_.socket().sendBytes(kContinue, sizeof kContinue - 1);
    }
    return *body_;
}

}  // namespace cpa::core
