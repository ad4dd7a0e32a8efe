#pragma once
// A recording HTTP server on 127.0.0.1:0 standing in for an upstream API or
// an HTTP proxy: it answers every request with a scripted reply and keeps
// what it received (a proxied request shows an absolute-form target).
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace cpa::test {

struct SeenRequest {
    std::string method;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string header(const std::string& name) const;  ///< case-insensitive, "" if absent
};

struct CannedReply {
    int status{200};
    std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/json"}};
    std::string body{"{\"ok\":true}"};
};

class LoopbackServer {
public:
    explicit LoopbackServer(CannedReply reply = {});
    ~LoopbackServer();
    int port() const;
    std::string url(const std::string& path = "/") const;
    std::vector<SeenRequest> requests() const;
    void setReply(CannedReply reply);

    struct Impl;  // public so the request handler can reach it

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace cpa::test
