#pragma once
// A scripted LLM provider on 127.0.0.1:<ephemeral> for data-plane tests:
// records every request and answers with queued replies (JSON or SSE, with
// delays, mid-stream cuts and scripted statuses). Nothing leaves loopback.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cpa::test {

struct UpstreamRequest {
    std::string method;
    std::string target;  ///< path + "?" + query as received
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string header(const std::string& name) const;  ///< case-insensitive; "" if absent
};

struct UpstreamReply {
    int status{200};
    std::vector<std::pair<std::string, std::string>> headers;  ///< Content-Type defaults from the body kind
    std::string body;                   ///< used when `events` is empty
    std::vector<std::string> events;    ///< SSE: each written verbatim and flushed (include "\n\n" yourself)
    std::chrono::milliseconds firstByteDelay{0};
    std::chrono::milliseconds eventDelay{0};
    int cutAfterEvents{-1};             ///< >= 0: close the socket after that many events (no terminator)
    bool hang{};                        ///< never answer (for timeouts / cancellation)
};

class FakeUpstream {
public:
    FakeUpstream();  ///< listens on 127.0.0.1:0 at once
    ~FakeUpstream();
    FakeUpstream(const FakeUpstream&) = delete;
    FakeUpstream& operator=(const FakeUpstream&) = delete;

    int port() const;
    std::string baseUrl() const;  ///< "http://127.0.0.1:<port>"

    /// Replies are served in FIFO order; when none is queued the handler (if
    /// set) answers, else 200 `{"ok":true}`.
    void enqueue(UpstreamReply reply);
    void setHandler(std::function<UpstreamReply(const UpstreamRequest&)> handler);

    std::vector<UpstreamRequest> requests() const;
    std::size_t requestCount() const;
    /// Streams whose client (the proxy) closed the connection before the reply finished.
    std::size_t abortedByClient() const;
    /// Waits until `n` requests were received (or the timeout passes); returns the count.
    std::size_t waitForRequests(std::size_t n, std::chrono::milliseconds timeout) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cpa::test
