// Gemini CLI (Google): authorization code without PKCE, user info, project
// selection and Code Assist onboarding (oauth.md §4.3).
#include "login/google_api.hpp"
#include "login/oauth_text.hpp"
#include "login/provider_flows.hpp"

#include <cpa/sdk/text.hpp>

#include <optional>
#include <stdexcept>

namespace cpa::oauth::login {

using cpa::sdk::Value;

namespace {

const std::vector<std::string> kGeminiScopes = {"https://www.googleapis.com/auth/cloud-platform",
                                                "https://www.googleapis.com/auth/userinfo.email",
                                                "https://www.googleapis.com/auth/userinfo.profile"};
constexpr const char* kUserAgent = "GeminiCLI/0.31.0/unknown (linux; x64)";
// The original polls onboarding without limit; a bound keeps a stuck
// backend from holding the task until shutdown.
constexpr int kMaxOnboardAttempts = 60;

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

Value geminiMetadata() {
    return Value::object({{"ideType", "IDE_UNSPECIFIED"}, {"platform", "PLATFORM_UNSPECIFIED"}, {"pluginType", "GEMINI"}});
}

class GeminiSetup {
public:
    GeminiSetup(LoginEngine& engine, const LoginSettings& s, std::string token)
        : engine_(engine), s_(s), token_(std::move(token)) {}

    /// Loads and onboards `requested` (or lets the backend pick when empty);
    /// returns the project to store.
    std::string perform(const std::string& requested) {
        const bool explicitProject = !requested.empty();
        Value load = Value::object({{"metadata", geminiMetadata()}});
        if (explicitProject) load.set("cloudaicompanionProject", requested);
        Value loadResp;
        try {
            loadResp = call("loadCodeAssist", load);
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string("load code assist: ") + e.what());
        }
        const std::string tier = defaultTier(loadResp);
        std::string project = explicitProject ? requested : companionProject(loadResp);
        if (project.empty()) project = autoDiscover(tier);
        const Value onboard = Value::object(
            {{"tierId", tier}, {"metadata", geminiMetadata()}, {"cloudaicompanionProject", project}});
        for (int attempt = 1; attempt <= kMaxOnboardAttempts; ++attempt) {
            Value resp;
            try {
                resp = call("onboardUser", onboard);
            } catch (const std::exception& e) {
                throw std::runtime_error(std::string("onboard user: ") + e.what());
            }
            if (const Value* done = resp.find("done"); done != nullptr && done->boolOr(false)) {
                std::string backend;
                if (const Value* r = resp.find("response"); r != nullptr) backend = companionProject(*r);
                std::string finalProject = project;
                if (!backend.empty()) {
                    const bool freeUser = project.rfind("gen-lang-client-", 0) == 0 || sdk::lowerAscii(tier) == "free" ||
                                          sdk::lowerAscii(tier) == "legacy";
                    if (!explicitProject || sdk::lowerAscii(backend) == sdk::lowerAscii(project) || freeUser) finalProject = backend;
                }
                return sdk::trimAscii(finalProject);
            }
            if (!engine_.tasks().sleepFor(s_.gemini.onboardPollInterval)) throw std::runtime_error("cancelled");
        }
        throw std::runtime_error("onboard user: onboarding did not complete");
    }

    /// oauth.md §4.3 API enablement check.
    bool apiEnabled(const std::string& project) {
        const std::string base = s_.geminiServiceUsageUrl + "/v1/projects/" + project +
                                 "/services/cloudaicompanion.googleapis.com";
        FetchRequest check;
        check.url = base;
        check.headers = headers();
        FetchResult res;
        try {
            res = engine_.fetch(check);
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string("failed to execute request: ") + e.what());
        }
        if (res.status == 200) {
            try {
                if (stringMember(parseObject(res.body), "state") == "ENABLED") return true;
            } catch (const std::exception&) {
                // Not enabled as far as we can tell: try to enable it.
            }
        }
        FetchRequest enable;
        enable.method = "POST";
        enable.url = base + ":enable";
        enable.headers = headers();
        enable.body = "{}";
        try {
            res = engine_.fetch(enable);
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string("failed to execute request: ") + e.what());
        }
        if (res.status == 200 || res.status == 201) return true;
        std::string message = res.body;
        try {
            const Value o = parseObject(res.body);
            if (const Value* err = o.find("error"); err != nullptr && err->find("message") != nullptr) {
                message = stringMember(*err, "message");
            }
        } catch (const std::exception&) {
        }
        if (res.status == 400 && sdk::lowerAscii(message).find("already enabled") != std::string::npos) return true;
        throw std::runtime_error("project activation required: " + message);
    }

private:
    std::vector<std::pair<std::string, std::string>> headers() const {
        return {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token_}, {"User-Agent", kUserAgent}};
    }
    Value call(const std::string& method, const Value& body) {
        return postJson(engine_, s_.gemini.codeAssistUrl + "/v1internal:" + method, token_, body,
                        {{"User-Agent", kUserAgent}});
    }
    std::string autoDiscover(const std::string& tier) {
        const Value req = Value::object({{"tierId", tier}, {"metadata", geminiMetadata()}});
        for (int attempt = 1; attempt <= 15; ++attempt) {
            Value resp;
            try {
                resp = call("onboardUser", req);
            } catch (const std::exception& e) {
                throw std::runtime_error(std::string("auto-discovery onboardUser: ") + e.what());
            }
            if (const Value* done = resp.find("done"); done != nullptr && done->boolOr(false)) {
                const Value* r = resp.find("response");
                const std::string p = r == nullptr ? std::string{} : companionProject(*r);
                if (p.empty()) break;
                return p;
            }
            if (!engine_.tasks().sleepFor(s_.antigravity.onboardPollInterval)) break;
        }
        throw std::runtime_error("project selection required");
    }

    LoginEngine& engine_;
    const LoginSettings& s_;
    std::string token_;
};

}  // namespace

std::string geminiAuthUrl(const AuthCodeProvider& p, const std::string& state) {
    return withQuery(p.authorizeUrl, formEncode({{"access_type", "offline"},
                                                 {"client_id", p.clientId},
                                                 {"prompt", "consent"},
                                                 {"redirect_uri", p.redirectUri},
                                                 {"response_type", "code"},
                                                 {"scope", join(kGeminiScopes, " ")},
                                                 {"state", state}}));
}

namespace {

/// A step's failure message for the login session (engine.fail); nullopt when it succeeded.
using StepError = std::optional<std::string>;

/// The account's e-mail from the user-info endpoint (read leniently: it may stay empty).
StepError fetchEmail(LoginEngine& engine, const AuthCodeProvider& p, const std::string& accessToken,
                     std::string& email) {
    try {
        FetchRequest req;
        req.url = p.userInfoUrl;
        req.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + accessToken}};
        const FetchResult res = engine.fetch(req);
        if (res.status < 200 || res.status >= 300)
            return "Get user info request failed with status " + std::to_string(res.status);
        try {
            email = stringMember(parseObject(res.body), "email");
        } catch (const std::exception&) {
            // The original reads the e-mail leniently: it may stay empty.
        }
    } catch (const std::exception&) {
        return "Failed to execute request";
    }
    return std::nullopt;
}

/// project_id=ALL: onboards every project of the account, then checks the API on each.
StepError setupAllProjects(LoginEngine& engine, const LoginSettings& s, const std::string& accessToken,
                           GeminiSetup& setup, GeminiAccount& account) {
    std::vector<std::string> activated;
    try {
        for (const auto& candidate : listGoogleProjects(engine, s.geminiProjectsUrl, accessToken)) {
            if (candidate.empty()) continue;
            bool seen = false;
            for (const auto& a : activated) seen = seen || a == candidate;
            if (seen) continue;
            std::string id;
            try {
                id = setup.perform(candidate);
            } catch (const std::exception& e) {
                throw std::runtime_error("onboard project " + candidate + ": " + e.what());
            }
            activated.push_back(id.empty() ? candidate : id);
        }
        if (activated.empty()) throw std::runtime_error("no Google Cloud projects available for this account");
    } catch (const std::exception& e) {
        return std::string("Failed to complete Gemini CLI onboarding: ") + e.what();
    }
    try {
        for (const auto& id : activated) {
            if (!setup.apiEnabled(id)) throw std::runtime_error("project " + id + ": Cloud AI API not enabled");
        }
    } catch (const std::exception& e) {
        return std::string("Failed to verify Cloud AI API status: ") + e.what();
    }
    account.projectId = join(activated, ",");
    account.checked = true;
    return std::nullopt;
}

/// project_id=GOOGLE_ONE: the backend picks the project.
StepError setupGoogleOne(GeminiSetup& setup, GeminiAccount& account) {
    try {
        account.projectId = setup.perform("");
    } catch (const std::exception& e) {
        return std::string("Google One auto-discovery failed: ") + e.what();
    }
    if (account.projectId.empty()) return std::string("Google One auto-discovery returned empty project ID");
    return std::nullopt;
}

/// The requested project, or the account's first when none was named.
StepError setupOneProject(LoginEngine& engine, const LoginSettings& s, const std::string& accessToken,
                          GeminiSetup& setup, const std::string& requested, GeminiAccount& account) {
    try {
        std::string target = requested;
        if (target.empty()) {
            const auto projects = listGoogleProjects(engine, s.geminiProjectsUrl, accessToken);
            if (projects.empty()) throw std::runtime_error("no Google Cloud projects available for this account");
            target = projects.front();
            if (target.empty()) throw std::runtime_error("resolved project id is empty");
            account.autoProject = true;
        }
        account.projectId = setup.perform(target);
        if (account.projectId.empty()) account.projectId = target;
    } catch (const std::exception& e) {
        return std::string("Failed to complete Gemini CLI onboarding: ") + e.what();
    }
    if (account.projectId.empty()) return std::string("Failed to resolve project ID");
    return std::nullopt;
}

/// oauth.md §4.3 API enablement, for the single project the account keeps.
StepError checkApiEnabled(GeminiSetup& setup, GeminiAccount& account) {
    try {
        account.checked = setup.apiEnabled(account.projectId);
    } catch (const std::exception& e) {
        return std::string("Failed to verify Cloud AI API status: ") + e.what();
    }
    if (!account.checked) return "Cloud AI API not enabled for project " + account.projectId;
    return std::nullopt;
}

/// Project selection by the `project_id` parameter (oauth.md §4.3): ALL, GOOGLE_ONE, a name, or none.
StepError setupProjects(LoginEngine& engine, const LoginSettings& s, const std::string& accessToken,
                        const std::string& projectIdParam, GeminiAccount& account) {
    const std::string requested = sdk::trimAscii(projectIdParam);
    GeminiSetup setup(engine, s, accessToken);
    try {
        if (sdk::lowerAscii(requested) == "all") return setupAllProjects(engine, s, accessToken, setup, account);
        StepError error = sdk::lowerAscii(requested) == "google_one"
                              ? setupGoogleOne(setup, account)
                              : setupOneProject(engine, s, accessToken, setup, requested, account);
        return error ? error : checkApiEnabled(setup, account);
    } catch (const std::exception& e) {
        return std::string("Failed to complete Gemini CLI onboarding: ") + e.what();
    }
}

}  // namespace

void runGeminiFlow(LoginEngine& engine, const LoginSettings& s, const std::string& state,
                   const std::string& projectIdParam) {
    const AuthCodeProvider& p = s.gemini;
    const CallbackRules rules{"Authentication failed", false, false, "", "Authentication failed: code not found",
                              "OAuth flow timed out"};
    auto code = awaitCode(engine, state, s.callbackTimeout, rules);
    if (!code) return;

    const auto exchanged = exchangeGoogleCode(engine, p, state, *code);
    if (!exchanged) return;
    const GoogleToken& token = *exchanged;

    GeminiAccount account;
    if (auto error = fetchEmail(engine, p, token.accessToken, account.email)) return engine.fail(state, *error);
    account.clientId = p.clientId;
    account.clientSecret = p.clientSecret;
    account.tokenUri = p.tokenUrl;
    account.scopes = kGeminiScopes;
    if (auto error = setupProjects(engine, s, token.accessToken, projectIdParam, account))
        return engine.fail(state, *error);

    const Credential cred = geminiCredential(token, account, std::chrono::system_clock::now());
    if (engine.save(state, cred, "Failed to save token to file")) engine.succeed(state);
}

}  // namespace cpa::oauth::login
