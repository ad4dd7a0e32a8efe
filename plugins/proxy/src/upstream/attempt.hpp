#pragma once
// State of one upstream call shared by the executor's phases (internal).
#include "exec/executor.hpp"
#include "upstream/connection_pool.hpp"
#include "upstream/http_wire.hpp"
#include "upstream/request_builder.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cpa::proxy::upstream {

struct Translation;

struct Attempt {
    const ExecRequest& req;
    ClientSink& sink;
    ExecResult& result;
    UpstreamCall call;
    Connection conn;
    std::optional<ResponseReader> reader;  ///< in place: no allocation per attempt
    Clock::time_point deadline;
    /// Non-stream keep-alive interval (0 = off), data-plane.md §8.1.
    std::chrono::seconds nonstreamKeepalive{0};
    Clock::time_point nextKeepalive{};
    /// Set when the attempt is translated (upstream/translation.hpp): `req` is
    /// then the target-format request the builder saw, `client` the client's.
    const Translation* translation{};
    const ExecRequest* clientRequest{};

    /// The request as the client sent it (== req unless translated).
    const ExecRequest& client() const { return clientRequest ? *clientRequest : req; }

    /// Bounded copy of the upstream body for the request log.
    void logBody(std::string_view bytes);
    /// Marks the call failed (no HTTP status) with a code and message.
    void fail(std::string code, std::string message);
    /// The client went away: the upstream connection is closed at once.
    void cancel();
    /// Wake-up time for a wait: the deadline, or earlier for a non-stream
    /// keep-alive or the next look at the client (withHangupCheck).
    Clock::time_point wakeAt() const;
    /// `t`, or earlier so that a silent upstream does not hide a client that hung up.
    static Clock::time_point withHangupCheck(Clock::time_point t);
    /// After a wait without news: false (and the call cancelled) when the
    /// client has hung up meanwhile.
    bool clientStillThere();
    /// Writes a due non-stream keep-alive newline (beginning the sink with
    /// status 200 if needed); false when the client is gone.
    bool tickNonstreamKeepalive();
};

/// data-plane.md §8.2–§8.4: reads the upstream SSE and writes client events to the sink.
void pumpStream(Attempt& a);
/// data-plane.md §8.1 / §7.3: reads a whole successful body and shapes the client response.
void finishNonStream(Attempt& a);
/// Non-2xx: reads the error body and fills the error fields of the result.
void finishError(Attempt& a);

}  // namespace cpa::proxy::upstream
