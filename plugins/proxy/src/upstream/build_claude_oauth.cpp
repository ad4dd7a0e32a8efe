// The Claude Code identity an OAuth token is sent with
// (oauth-executors.md §3.1 header table, default "legacy" fingerprint mode): the client's own
// value wins, else the original's defaults. Cloaking of the body (system
// prompt, billing header, tool-name remap) is not done: docs/compatibility.md.
#include "upstream/header_list.hpp"
#include "upstream/request_builder.hpp"

#include <Poco/SHA1Engine.h>
#include <Poco/UUIDGenerator.h>

#include <sys/utsname.h>

namespace cpa::proxy::upstream {

namespace {

void clientOr(HeaderList& h, const ExecRequest& req, const char* name, const std::string& fallback) {
    const std::string v = getHeader(req.clientHeaders, name);
    setHeader(h, name, v.empty() ? fallback : v);
}

/// Stable per access token (a new token gives a new session, as the
/// original's per-token cache does). The last token's id is kept per thread:
/// a token serves many requests, and the hash is then computed once.
const std::string& sessionIdFor(const std::string& token) {
    static const Poco::UUID ns = Poco::UUID::oid();
    thread_local std::string lastToken, lastId;
    if (lastId.empty() || token != lastToken) {
        Poco::SHA1Engine sha1;
        lastId = Poco::UUIDGenerator::defaultGenerator().createFromName(ns, "cpa:claude-session:" + token, sha1).toString();
        lastToken = token;
    }
    return lastId;
}

/// The host as the original names it in X-Stainless-Os / -Arch.
std::pair<std::string, std::string> hostPlatform() {
    utsname u{};
    std::string os = "Linux", arch = "other::unknown";
    if (uname(&u) == 0) {
        const std::string m = u.machine;
        arch = m == "x86_64" ? "x64" : (m == "aarch64" || m == "arm64") ? "arm64" : (m == "i686" || m == "i386") ? "x86"
                                                                                                                 : "other::" + m;
    }
    return {os, arch};
}

}  // namespace

void applyClaudeOAuthIdentity(HeaderList& h, const ExecRequest& req, bool anthropicHost) {
    clientOr(h, req, "X-App", "cli");
    clientOr(h, req, "X-Stainless-Retry-Count", "0");
    clientOr(h, req, "X-Stainless-Runtime", "node");
    clientOr(h, req, "X-Stainless-Lang", "js");
    clientOr(h, req, "X-Stainless-Timeout", "600");
    clientOr(h, req, "X-Claude-Code-Session-Id", sessionIdFor(req.credential->apiKey));
    if (anthropicHost)
        clientOr(h, req, "x-client-request-id", Poco::UUIDGenerator::defaultGenerator().createRandom().toString());
}

void applyClaudeOAuthFingerprint(HeaderList& h, const ExecRequest& req) {
    static const std::pair<std::string, std::string> platform = hostPlatform();
    clientOr(h, req, "X-Stainless-Runtime-Version", "v24.3.0");
    clientOr(h, req, "X-Stainless-Package-Version", "0.74.0");
    clientOr(h, req, "X-Stainless-Os", platform.first);
    clientOr(h, req, "X-Stainless-Arch", platform.second);
    const std::string ua = getHeader(req.clientHeaders, "User-Agent");
    setHeader(h, "User-Agent", ua.rfind("claude-cli", 0) == 0 ? ua : "claude-cli/2.1.63 (external, cli)");
}

}  // namespace cpa::proxy::upstream
