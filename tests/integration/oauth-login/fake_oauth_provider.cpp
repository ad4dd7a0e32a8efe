#include "fake_oauth_provider.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>
#include <Poco/URI.h>

#include <sstream>

namespace cpa::test {

namespace {

std::string b64url(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder enc(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    enc.rdbuf()->setLineLength(0);
    enc << bytes;
    enc.close();
    return out.str();
}

std::string pathOf(const std::string& target) { return target.substr(0, target.find('?')); }

std::map<std::string, std::string> queryOf(const std::string& target) {
    const auto q = target.find('?');
    return q == std::string::npos ? std::map<std::string, std::string>{} : parseForm(target.substr(q + 1));
}

UpstreamReply json(int status, const std::string& body) {
    UpstreamReply r;
    r.status = status;
    r.body = body;
    return r;
}

std::map<std::string, std::string> jsonStrings(const std::string& body) {
    std::map<std::string, std::string> out;
    try {
        Poco::JSON::Parser parser;
        auto obj = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
        for (const auto& [k, v] : *obj) {
            if (v.isString()) out[k] = v.convert<std::string>();
        }
    } catch (...) {
    }
    return out;
}

}  // namespace

std::string s256(const std::string& verifier) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(verifier);
    const auto& d = engine.digest();
    return b64url(std::string(d.begin(), d.end()));
}

std::map<std::string, std::string> parseForm(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::string part;
    while (std::getline(in, part, '&')) {
        const auto eq = part.find('=');
        std::string k = part.substr(0, eq);
        std::string v = eq == std::string::npos ? "" : part.substr(eq + 1);
        for (auto* s : {&k, &v}) {
            for (auto& c : *s) c = c == '+' ? ' ' : c;
            std::string decoded;
            Poco::URI::decode(*s, decoded);
            *s = decoded;
        }
        out.emplace(k, v);
    }
    return out;
}

FakeOAuthProvider::FakeOAuthProvider() {
    upstream_.setHandler([this](const UpstreamRequest& req) { return handle(req); });
}

void FakeOAuthProvider::setAuthorizeOutcome(std::string outcome) {
    std::lock_guard lock(mutex_);
    outcome_ = std::move(outcome);
}
void FakeOAuthProvider::failTokenWith(int status) {
    std::lock_guard lock(mutex_);
    failStatus_ = status;
}
void FakeOAuthProvider::setKimiScript(int pendingPolls, std::string finalError) {
    std::lock_guard lock(mutex_);
    kimiPending_ = pendingPolls;
    kimiFinalError_ = std::move(finalError);
}
int FakeOAuthProvider::tokenRequests() const {
    std::lock_guard lock(mutex_);
    return tokenRequests_;
}
int FakeOAuthProvider::kimiPolls() const {
    std::lock_guard lock(mutex_);
    return kimiPolls_;
}
std::string FakeOAuthProvider::rejections() const {
    std::lock_guard lock(mutex_);
    return rejections_;
}

UpstreamReply FakeOAuthProvider::reject(const std::string& why) {
    rejections_ += why + "\n";
    return json(400, R"({"error":"invalid_grant","error_description":")" + why + "\"}");
}

UpstreamReply FakeOAuthProvider::handle(const UpstreamRequest& req) {
    std::lock_guard lock(mutex_);
    const std::string path = pathOf(req.target);
    if (req.method == "GET" && path == "/authorize") return authorize(queryOf(req.target));
    if (req.method == "POST" && path.rfind("/token/", 0) == 0) return token(path, req);
    if (path == "/userinfo") {
        if (req.header("Authorization") != "Bearer google-access") return json(401, R"({"error":"unauthorized"})");
        return json(200, std::string(R"({"email":")") + kEmail + "\"}");
    }
    if (path == "/codeassist/v1internal:loadCodeAssist") {
        return json(200, R"({"allowedTiers":[{"id":"standard-tier","isDefault":true}]})");
    }
    if (path == "/codeassist/v1internal:onboardUser") {
        return json(200, R"({"done":true,"response":{"cloudaicompanionProject":{"id":"proj-1"}}})");
    }
    if (path == "/projects") return json(200, R"({"projects":[{"projectId":"proj-1"},{"projectId":"proj-2"}]})");
    if (req.method == "GET" && path.rfind("/serviceusage/v1/projects/proj-", 0) == 0 &&
        path.find("/services/cloudaicompanion.googleapis.com") != std::string::npos) {
        return json(200, R"({"state":"ENABLED"})");
    }
    if (path == "/kimi/device") {
        const auto form = parseForm(req.body);
        if (form.count("client_id") == 0 || form.at("client_id") != kKimiClient) return reject("kimi client id");
        return json(200, R"({"device_code":"dev-code-1","user_code":"ABCD","verification_uri":")" + url("/verify") +
                             R"(","verification_uri_complete":")" + url("/verify?user_code=ABCD") +
                             R"(","expires_in":600,"interval":0})");
    }
    if (path == "/kimi/token") {
        ++kimiPolls_;
        auto form = parseForm(req.body);
        if (form["device_code"] != "dev-code-1" || form["client_id"] != kKimiClient ||
            form["grant_type"] != "urn:ietf:params:oauth:grant-type:device_code" || req.header("X-Msh-Device-Id").empty()) {
            return reject("kimi poll");
        }
        if (kimiPolls_ <= kimiPending_) return json(400, R"({"error":"authorization_pending"})");
        if (!kimiFinalError_.empty()) return json(400, R"({"error":")" + kimiFinalError_ + "\"}");
        return json(200, R"({"access_token":"kimi-access","refresh_token":"kimi-refresh","expires_in":3600,)"
                         R"("scope":"kimi-code","token_type":"Bearer"})");
    }
    return json(404, R"({"error":"not found"})");
}

UpstreamReply FakeOAuthProvider::authorize(const std::map<std::string, std::string>& q) {
    auto get = [&](const char* k) { return q.count(k) != 0 ? q.at(k) : std::string{}; };
    const std::string redirect = get("redirect_uri");
    UpstreamReply r;
    r.status = 302;
    std::string location = redirect + (redirect.find('?') == std::string::npos ? "?" : "&");
    if (outcome_ != "consent") {
        location += "error=" + outcome_ + "&state=" + get("state");
    } else {
        const std::string code = "code-" + std::to_string(++counter_);
        codes_[code] = Issued{get("client_id"), redirect, get("code_challenge"), false};
        location += "code=" + code + "&state=" + get("state");
    }
    r.headers = {{"Location", location}};
    r.body = "{}";
    return r;
}

UpstreamReply FakeOAuthProvider::token(const std::string& path, const UpstreamRequest& req) {
    ++tokenRequests_;
    if (failStatus_ != 0) return json(failStatus_, R"({"error":"server_error"})");
    const bool jsonBody = req.header("Content-Type").find("application/json") != std::string::npos;
    auto f = jsonBody ? jsonStrings(req.body) : parseForm(req.body);
    auto it = codes_.find(f["code"]);
    if (it == codes_.end()) return reject("unknown code " + f["code"]);
    Issued& issued = it->second;
    if (issued.used) return reject("code replayed");
    issued.used = true;
    if (f["grant_type"] != "authorization_code") return reject("grant_type");
    if (f["client_id"] != issued.clientId) return reject("client_id differs from authorize");
    if (f["redirect_uri"] != issued.redirectUri) return reject("redirect_uri differs from authorize");
    const std::string provider = path.substr(std::string("/token/").size());
    const std::map<std::string, std::string> expectedClient = {{"anthropic", kAnthropicClient},
                                                               {"codex", kCodexClient},
                                                               {"gemini", kGeminiClient},
                                                               {"antigravity", kAntigravityClient}};
    if (expectedClient.count(provider) == 0 || f["client_id"] != expectedClient.at(provider)) {
        return reject("client_id " + f["client_id"] + " for " + provider);
    }
    const bool pkce = provider == "anthropic" || provider == "codex";
    if (pkce) {
        if (issued.challenge.empty()) return reject("no PKCE challenge at authorize");
        if (s256(f["code_verifier"]) != issued.challenge) return reject("PKCE verifier does not match challenge");
    } else if (f["client_secret"] != kGoogleSecret) {
        return reject("client_secret");
    }
    if (provider == "anthropic") {
        if (!jsonBody) return reject("anthropic expects JSON");
        return json(200, std::string(R"({"access_token":"sk-ant-oat-1","refresh_token":"sk-ant-ort-1",)") +
                             R"("expires_in":28800,"token_type":"Bearer","account":{"uuid":"u1","email_address":")" +
                             kEmail + R"("},"organization":{"uuid":"o1","name":"Org"}})");
    }
    if (provider == "codex") {
        const std::string claims = std::string(R"({"email":")") + kEmail +
                                   R"(","https://api.openai.com/auth":{"chatgpt_account_id":"acct-1","chatgpt_plan_type":"plus"}})";
        const std::string idToken = b64url(R"({"alg":"none"})") + "." + b64url(claims) + ".sig";
        return json(200, R"({"access_token":"codex-access","refresh_token":"codex-refresh","id_token":")" + idToken +
                             R"(","expires_in":3600})");
    }
    return json(200, R"({"access_token":"google-access","refresh_token":"google-refresh","expires_in":3599,)"
                     R"("token_type":"Bearer"})");
}

}  // namespace cpa::test
