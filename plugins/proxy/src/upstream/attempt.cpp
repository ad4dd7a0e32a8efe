#include "upstream/attempt.hpp"
#include "upstream/translation.hpp"

#include "upstream/header_list.hpp"
#include "upstream/response_util.hpp"

namespace cpa::proxy::upstream {

namespace {
constexpr std::size_t kLogBodyLimit = 1u << 20;
}

void Attempt::logBody(std::string_view bytes) {
    if (!req.recordLog) return;
    std::string& body = result.log.responseBody;
    if (body.size() < kLogBodyLimit) body.append(bytes.substr(0, kLogBodyLimit - body.size()));
}

void Attempt::fail(std::string code, std::string message) {
    result.ok = false;
    result.errorCode = std::move(code);
    result.errorMessage = std::move(message);
    // Even after non-stream keep-alives nothing is written here: routing may
    // still try another credential and appends the final body (data-plane.md §8.1).
}

void Attempt::cancel() {
    result.cancelled = true;
    result.ok = false;
    result.errorCode = "cancelled";
    result.errorMessage = "client disconnected";
    try {
        conn.socket.close();  // abort the upstream request at once
    } catch (const std::exception&) {
    }
}

Clock::time_point Attempt::wakeAt() const {
    if (nonstreamKeepalive.count() > 0 && nextKeepalive < deadline) return withHangupCheck(nextKeepalive);
    return withHangupCheck(deadline);
}

Clock::time_point Attempt::withHangupCheck(Clock::time_point t) {
    // Long enough to cost nothing while tokens flow, short enough that a
    // client giving up stops a long generation within about a second.
    constexpr auto kHangupCheck = std::chrono::seconds(1);
    return std::min(t, Clock::now() + kHangupCheck);
}

bool Attempt::clientStillThere() {
    if (!sink.clientGone()) return true;
    cancel();
    return false;
}

bool Attempt::tickNonstreamKeepalive() {
    if (nonstreamKeepalive.count() <= 0 || Clock::now() < nextKeepalive) return true;
    nextKeepalive = Clock::now() + nonstreamKeepalive;
    if (!sink.begun() && !sink.begin(200, {{"Content-Type", "application/json"}})) {
        cancel();
        return false;
    }
    result.keepalivesSent = true;
    if (!sink.write("\n")) {
        cancel();
        return false;
    }
    return true;
}

void finishError(Attempt& a) {
    std::string body;
    for (;;) {
        const ReadStatus st = a.reader->readBody(body, a.wakeAt());
        if (st == ReadStatus::Data) continue;
        if (st == ReadStatus::Wait) {
            if (Clock::now() >= a.deadline) break;
            if (!a.clientStillThere() || !a.tickNonstreamKeepalive()) return;
            continue;
        }
        break;  // End, or a cut: what arrived is the error text
    }
    body = decompressBody(body, a.reader->header("Content-Encoding"));
    a.logBody(body);
    ExecResult& r = a.result;
    r.ok = false;
    r.status = a.reader->status();
    r.errorCode = "upstream_status";
    r.errorBody = a.translation ? translateError(*a.translation, r.status, body) : body;
    r.errorMessage = body;
    r.errorHeaders = passthroughHeaders(a.reader->headers());
    r.retryAfter = parseRetryAfter(a.reader->header("Retry-After"));
    if (a.call.family == Family::Codex) {
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count();
        if (auto hint = codexRetryAfter(r.status, body, now)) r.retryAfter = hint;
    }
    if (codeAssistEnvelope(a.call.family))
        if (auto hint = googleRetryDelay(r.status, body)) r.retryAfter = hint;
}

}  // namespace cpa::proxy::upstream
