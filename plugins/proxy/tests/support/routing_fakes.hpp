#pragma once
// Test doubles for routing: a scripted Executor, a manual clock, a sink.
#include "exec/executor.hpp"
#include "routing/clock.hpp"

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace cpa::proxy::testing {

class FakeClock final : public Clock {
public:
    FakeClock() : now_(std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000))) {}
    TimePoint now() const override { return now_; }
    /// The whole wait is recorded; `stop` is asked once, after it.
    void sleepFor(std::chrono::milliseconds d, const std::function<bool()>& stop) override {
        sleeps.push_back(d);
        now_ += d;
        (void)stop();
    }
    void advance(std::chrono::milliseconds d) { now_ += d; }
    std::vector<std::chrono::milliseconds> sleeps;

private:
    TimePoint now_;
};

struct Call {
    std::string credentialId;
    std::string upstreamModel;
    std::string clientModel;
    bool stream{};
    std::string body;
    /// The canonical conversation routing decoded for a translated attempt (else null).
    std::shared_ptr<const translate::Conversation> conversation;
};

/// Answers attempts from a queue of steps; an empty queue answers 200 {"ok":true}.
class ScriptedExecutor final : public Executor {
public:
    using Step = std::function<ExecResult(const ExecRequest&, ClientSink&)>;

    ExecResult execute(const ExecRequest& r, ClientSink& sink) override {
        Step step;
        {
            std::lock_guard lock(mutex_);
            calls_.push_back({r.credential->id, r.upstreamModel, r.clientModel, r.stream, r.body, r.conversation});
            if (!steps_.empty()) {
                step = std::move(steps_.front());
                steps_.pop_front();
            }
        }
        if (step) return step(r, sink);
        return ok();
    }

    void push(Step s) { steps_.push_back(std::move(s)); }
    void pushResult(ExecResult r) {
        push([r](const ExecRequest&, ClientSink&) { return r; });
    }
    void pushError(int status, std::string body = "upstream failed", std::optional<std::chrono::seconds> ra = {}) {
        ExecResult r;
        r.status = status;
        r.errorBody = std::move(body);
        r.retryAfter = ra;
        pushResult(std::move(r));
    }
    void pushOk(std::string body = R"({"ok":true})") { pushResult(ok(std::move(body))); }
    /// A stream that commits and writes `chunks`.
    void pushStream(std::vector<std::string> chunks, bool endOk = true) {
        push([chunks, endOk](const ExecRequest&, ClientSink& sink) {
            ExecResult r;
            sink.begin(200, {{"Content-Type", "text/event-stream"}});
            for (const auto& c : chunks) sink.write(c);
            r.committed = true;
            r.ok = endOk;
            r.status = 200;
            return r;
        });
    }

    static ExecResult ok(std::string body = R"({"ok":true})") {
        ExecResult r;
        r.ok = true;
        r.status = 200;
        r.responseBody = std::move(body);
        r.responseHeaders = {{"Content-Type", "application/json"}};
        r.usage.present = true;
        r.usage.input = 3;
        r.usage.output = 4;
        r.usage.total = 7;
        return r;
    }

    std::vector<Call> calls() const {
        std::lock_guard lock(mutex_);
        return calls_;
    }
    std::size_t pending() const { return steps_.size(); }

private:
    mutable std::mutex mutex_;
    std::deque<Step> steps_;
    std::vector<Call> calls_;
};

class StringSink final : public ClientSink {
public:
    bool begin(int status, const HeaderList&) override {
        status_ = status;
        begun_ = true;
        return true;
    }
    bool write(std::string_view bytes) override {
        begun_ = true;
        data += bytes;
        return true;
    }
    bool begun() const override { return begun_; }
    std::string data;
    int status_{};

private:
    bool begun_{};
};

}  // namespace cpa::proxy::testing
