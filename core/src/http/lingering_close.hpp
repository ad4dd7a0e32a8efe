#pragma once
// Closing a socket with unread request bytes makes the kernel send a reset,
// which can destroy the response before the client read it. So: send FIN,
// then discard what the client still sends for a short while.
#include <Poco/Net/StreamSocket.h>

namespace cpa::core {

/// Never throws; the connection is finished afterwards.
void lingeringClose(Poco::Net::StreamSocket& socket) noexcept;

}  // namespace cpa::core
