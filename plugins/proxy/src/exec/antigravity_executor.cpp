#include "exec/antigravity_executor.hpp"

#include "upstream/antigravity_envelope.hpp"
#include "upstream/antigravity_quota.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <thread>
#include <vector>

namespace cpa::proxy {

namespace {

using std::chrono::milliseconds;
using upstream::Antigravity429;

bool isCount(const ExecRequest& r) {
    return r.format == ClientFormat::ClaudeCountTokens ||
           (r.format == ClientFormat::Gemini && r.geminiMethod == "countTokens");
}

/// oauth-executors.md §3.4.1: the configured list (or a file's `base_url`),
/// else daily then prod.
std::vector<std::string> baseUrlsOf(const UpstreamCredential& c) {
    if (!c.baseUrls.empty()) return c.baseUrls;
    if (!c.baseUrl.empty()) return {c.baseUrl};
    return {std::string(upstream::kAntigravityDailyBase), std::string(upstream::kAntigravityProdBase)};
}

milliseconds millisOf(double seconds) { return milliseconds(static_cast<std::int64_t>(std::ceil(seconds * 1000))); }

void sleepUnlessGone(milliseconds wait, ClientSink& sink) {
    const auto end = std::chrono::steady_clock::now() + wait;
    while (!sink.clientGone()) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= end) return;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(end - now, milliseconds(50)));
    }
}

}  // namespace

AntigravityExecutor::AntigravityExecutor(std::unique_ptr<Executor> inner, Sleep sleep)
    : inner_(std::move(inner)), sleep_(sleep ? std::move(sleep) : Sleep(sleepUnlessGone)) {}

ExecResult AntigravityExecutor::execute(const ExecRequest& request, ClientSink& sink) {
    if (!request.credential || builderWire(request.credential->wire) != oauth_wire::kAntigravityBuilder)
        return inner_->execute(request, sink);
    return attempts(request, sink);
}

milliseconds AntigravityExecutor::shortCooldownLeft(const std::string& key) {
    std::lock_guard lock(mutex_);
    const auto it = shortCooldowns_.find(key);
    if (it == shortCooldowns_.end()) return milliseconds(0);
    const auto left = std::chrono::duration_cast<milliseconds>(it->second - std::chrono::steady_clock::now());
    if (left.count() > 0) return left;
    shortCooldowns_.erase(it);
    return milliseconds(0);
}

void AntigravityExecutor::restShortly(const std::string& key, milliseconds duration) {
    std::lock_guard lock(mutex_);
    shortCooldowns_[key] = std::chrono::steady_clock::now() + duration;
}

ExecResult AntigravityExecutor::attempts(const ExecRequest& request, ClientSink& sink) {
    const bool count = isCount(request);  // count tokens: the URL fallback only
    const std::string restKey = request.credential->id + "|" + request.upstreamModel;
    if (const milliseconds left = count ? milliseconds(0) : shortCooldownLeft(restKey); left.count() > 0) {
        ExecResult r;
        const auto seconds = std::chrono::ceil<std::chrono::seconds>(left);
        r.status = 429;
        r.errorCode = "short_cooldown";
        r.errorMessage = "auth in short cooldown, " + std::to_string(seconds.count()) + "s remaining";
        r.retryAfter = seconds;
        r.keepalivesSent = !request.stream && sink.begun();
        r.log.errors.push_back(r.errorMessage);
        return r;
    }
    const std::vector<std::string> urls = baseUrlsOf(*request.credential);
    const int rounds = count ? 1 : std::max(0, request.requestRetry) + 1;
    ExecResult last;
    for (int round = 0; round < rounds; ++round) {
        const bool another = round + 1 < rounds;
        std::optional<milliseconds> pause;  // set: the next round starts after it
        for (std::size_t i = 0; i < urls.size() && !pause; ++i) {
            auto cred = std::make_shared<UpstreamCredential>(*request.credential);
            cred->baseUrl = urls[i];
            ExecRequest call = request;
            call.credential = std::move(cred);
            last = inner_->execute(call, sink);
            if (last.ok || last.committed || last.cancelled) return last;
            const bool nextUrl = i + 1 < urls.size();
            if (last.status == 0) {  // no answer: the next URL, unless the time is up
                if (nextUrl && last.errorCode != "timeout") continue;
                return last;
            }
            const std::string& body = last.errorMessage;  // the upstream's own body
            if (last.status == 429 && !count) {
                const Antigravity429 d = upstream::decideAntigravity429(body);
                const double hint = d.retryAfterSeconds.value_or(0);
                if (d.kind == Antigravity429::Kind::InstantRetry && another) {
                    pause = hint > 0 ? millisOf(hint) + milliseconds(800) : milliseconds(0);
                    break;
                }
                if (d.kind == Antigravity429::Kind::ShortCooldown && hint > 0) restShortly(restKey, millisOf(hint));
                if (nextUrl) continue;
                if (d.kind == Antigravity429::Kind::SoftRetry && another) {
                    pause = std::min<milliseconds>(milliseconds(500) * (round + 1), milliseconds(3000));
                    break;
                }
                return last;
            }
            if (last.status == 429 && nextUrl) continue;
            if (!count && upstream::antigravityNoCapacity(last.status, body)) {
                if (nextUrl) continue;
                if (another) {
                    pause = std::min<milliseconds>(milliseconds(250) * (round + 1), milliseconds(2000));
                    break;
                }
            }
            return last;
        }
        if (!pause) return last;
        sleep_(*pause, sink);
        if (sink.clientGone()) {
            last.cancelled = true;
            last.errorCode = "cancelled";
            last.errorMessage = "client disconnected";
            return last;
        }
    }
    return last;
}

}  // namespace cpa::proxy
