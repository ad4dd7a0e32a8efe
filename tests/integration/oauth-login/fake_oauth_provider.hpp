#pragma once
// A fake OAuth provider on 127.0.0.1:<ephemeral> for the login flows: an
// authorize endpoint that redirects like a consenting user, token endpoints
// that check client id, redirect URI, code (single use) and the PKCE
// verifier against the challenge, Google's user info / Code Assist / project
// APIs and Kimi's device authorization grant.
#include "fake_upstream.hpp"

#include <map>
#include <mutex>
#include <string>

namespace cpa::test {

class FakeOAuthProvider {
public:
    FakeOAuthProvider();

    std::string url(const std::string& path) const { return upstream_.baseUrl() + path; }

    /// What the authorize endpoint does: "consent" (redirect with a code) or
    /// an OAuth error code to redirect with (e.g. "access_denied").
    void setAuthorizeOutcome(std::string outcome);
    /// Token endpoint status when != 0 (forces a failure).
    void failTokenWith(int status);
    /// Kimi token polls answered "authorization_pending" before success, and
    /// the final answer ("" = tokens, else that error, e.g. "access_denied").
    void setKimiScript(int pendingPolls, std::string finalError);

    int tokenRequests() const;
    int kimiPolls() const;
    /// Checks that failed on the token endpoint, for failure messages.
    std::string rejections() const;

private:
    struct Issued {
        std::string clientId;
        std::string redirectUri;
        std::string challenge;
        bool used{};
    };
    UpstreamReply handle(const UpstreamRequest& req);
    UpstreamReply authorize(const std::map<std::string, std::string>& q);
    UpstreamReply token(const std::string& path, const UpstreamRequest& req);
    UpstreamReply reject(const std::string& why);

    mutable std::mutex mutex_;
    std::map<std::string, Issued> codes_;
    std::string outcome_{"consent"};
    int failStatus_{};
    int kimiPending_{1};
    std::string kimiFinalError_;
    int tokenRequests_{};
    int kimiPolls_{};
    int counter_{};
    std::string rejections_;
    FakeUpstream upstream_;  ///< last: its thread stops before the state above goes
};

/// Expected client ids (non-default, so the checks mean something).
inline constexpr const char* kAnthropicClient = "client-anthropic-test";
inline constexpr const char* kCodexClient = "client-codex-test";
inline constexpr const char* kGeminiClient = "client-gemini-test";
inline constexpr const char* kAntigravityClient = "client-antigravity-test";
inline constexpr const char* kGoogleSecret = "secret-test";
inline constexpr const char* kKimiClient = "client-kimi-test";
inline constexpr const char* kEmail = "user@example.com";

/// base64url(no padding) of SHA-256, computed independently of the server.
std::string s256(const std::string& verifier);
std::map<std::string, std::string> parseForm(const std::string& text);

}  // namespace cpa::test
