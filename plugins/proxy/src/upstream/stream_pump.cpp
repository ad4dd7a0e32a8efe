// data-plane.md §8.2–§8.4, §9.3, §6.11: upstream SSE → client events, one sink write per
// upstream read (its events together), keep-alives only between events, cancellation on client loss.
#include "upstream/attempt.hpp"
#include "upstream/error_body.hpp"
#include "upstream/response_util.hpp"
#include "upstream/stream_framer.hpp"
#include "upstream/translation.hpp"

namespace cpa::proxy::upstream {

namespace {

class Pump {
public:
    explicit Pump(Attempt& a)
        : a_(a),
          alt_(a.client().format == ClientFormat::Gemini && !a.client().geminiAlt.empty()),
          framer_(a.translation ? makeTranslatingFramer(*a.translation) : makeFramer(a.req.format, a.call.family, alt_)),
          keepalive_(alt_ ? 0 : a.req.streamKeepaliveSeconds) {}

    void run();
    TokenUsage usage() const { return framer_->usage; }

private:
    bool deliver();  ///< writes queued events; false when the client is gone
    bool beginIfNeeded();
    void terminal(int status, const std::string& code, const std::string& message);
    bool keepaliveDue() const {
        return a_.result.committed && keepalive_ > 0 && Clock::now() >= lastWrite_ + std::chrono::seconds(keepalive_);
    }
    Clock::time_point wakeAt() const {
        if (!a_.result.committed || keepalive_ <= 0) return Attempt::withHangupCheck(a_.deadline);
        return Attempt::withHangupCheck(std::min(a_.deadline, lastWrite_ + std::chrono::seconds(keepalive_)));
    }

    Attempt& a_;
    bool alt_;
    std::unique_ptr<StreamFramer> framer_;
    int keepalive_;
    LineSplitter lines_;
    EventQueue events_;
    std::string joined_;  ///< several events of one read, written together (capacity kept)
    Clock::time_point lastWrite_{};
};

bool Pump::beginIfNeeded() {
    if (a_.result.committed) return true;
    HeaderList headers = streamHeaders(alt_);
    if (a_.req.passthroughHeaders) addMissing(headers, passthroughHeaders(a_.reader->headers()));
    if (!a_.sink.begin(200, headers)) return false;
    a_.result.committed = true;
    return true;
}

bool Pump::deliver() {
    // Events framed from one upstream read go out in one write (one chunk,
    // one send): an upstream that sends faster than the client reads hands
    // over several at once, and a send per event cost a system call each.
    const std::string* only = nullptr;
    std::size_t count = 0, bytes = 0;
    for (const auto& ev : events_) {
        if (ev.empty()) continue;
        only = &ev;
        ++count;
        bytes += ev.size();
    }
    if (count == 0) {
        events_.clear();
        return true;
    }
    bool ok = beginIfNeeded();
    if (ok && count == 1) {
        ok = a_.sink.write(*only);
    } else if (ok) {
        joined_.clear();
        joined_.reserve(bytes);
        for (const auto& ev : events_) joined_ += ev;
        ok = a_.sink.write(joined_);
    }
    events_.clear();
    if (!ok) {
        a_.cancel();
        return false;
    }
    lastWrite_ = Clock::now();
    return true;
}

void Pump::terminal(int status, const std::string& code, const std::string& message) {
    a_.result.ok = false;
    a_.result.errorCode = code;
    a_.result.errorMessage = message;
    if (!a_.result.committed) {
        // Nothing reached the client: routing may still try another credential (data-plane.md §6.11).
        a_.result.status = 0;
        return;
    }
    framer_->flushBeforeError(events_);
    events_.push_back(terminalErrorEvent(a_.client().format, alt_, status, message));
    deliver();
}

void Pump::run() {
    std::string buf;
    const auto onLine = [this](std::string_view line) {
        if (!framer_->fatalStatus) framer_->line(line, events_);  // nothing after a fatal line
    };
    for (;;) {
        buf.clear();
        const ReadStatus st = a_.reader->readBody(buf, wakeAt());
        if (st == ReadStatus::Data) {
            a_.logBody(buf);
            if (!lines_.feed(buf, onLine)) {
                terminal(500, "stream_error", "upstream SSE line too long");
                return;
            }
            if (!deliver()) return;
            if (framer_->fatalStatus) {
                terminal(framer_->fatalStatus, "stream_error", framer_->fatalMessage);
                return;
            }
            continue;
        }
        if (st == ReadStatus::Wait) {
            if (Clock::now() >= a_.deadline) {
                terminal(500, "timeout", "upstream stream timed out");
                return;
            }
            if (!keepaliveDue()) {
                if (!a_.clientStillThere()) return;  // the upstream is cut off at once
                continue;
            }
            events_.emplace_back(": keep-alive\n\n");
            if (!deliver()) return;
            continue;
        }
        if (st == ReadStatus::End) {
            lines_.finish(onLine);
            if (!a_.result.committed && events_.empty()) {
                terminal(0, "empty_stream", "upstream stream closed before first payload");
                return;
            }
            framer_->finish(events_);
            if (!deliver()) return;
            if (framer_->fatalStatus) {
                terminal(framer_->fatalStatus, "stream_error", framer_->fatalMessage);
                return;
            }
            a_.result.ok = true;
            return;
        }
        // Closed early or a socket error: the stream was cut.
        const std::string why =
            st == ReadStatus::Error ? a_.reader->error() : std::string("unexpected EOF");
        if (!a_.result.committed && events_.empty()) {
            terminal(0, "stream_error", "upstream stream error: " + why);
            return;
        }
        if (!deliver()) return;
        terminal(500, "stream_error", "upstream stream error: " + why);
        return;
    }
}

}  // namespace

void pumpStream(Attempt& a) {
    Pump pump(a);
    pump.run();
    a.result.usage = pump.usage();
}

}  // namespace cpa::proxy::upstream
