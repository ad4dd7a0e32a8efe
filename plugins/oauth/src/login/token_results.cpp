#include "login/token_results.hpp"

#include "login/oauth_text.hpp"
#include "login/pkce.hpp"

#include <cpa/sdk/text.hpp>
#include <cpa/sdk/base64.hpp>
#include <cpa/sdk/sha256.hpp>
#include <cpa/sdk/json.hpp>

#include <cctype>
#include <stdexcept>

namespace cpa::oauth::login {

using cpa::sdk::Value;

std::string Credential::bytes() const { return cpa::sdk::toJson(content, indented ? 2 : 0) + "\n"; }

Value parseObject(const std::string& body) {
    Value v;
    try {
        v = cpa::sdk::parseJson(body, cpa::sdk::JsonMode::FirstValue);
    } catch (const std::exception&) {
        throw std::runtime_error("response is not JSON");
    }
    if (!v.isObject()) throw std::runtime_error("response is not a JSON object");
    return v;
}

std::string stringMember(const Value& object, std::string_view key) {
    const Value* v = object.find(key);
    return v != nullptr && v->isString() ? v->asString() : std::string{};
}

namespace {

std::int64_t intMember(const Value& object, std::string_view key) {
    const Value* v = object.find(key);
    if (v == nullptr) return 0;
    if (v->isInt()) return v->asInt();
    if (v->isDouble()) return static_cast<std::int64_t>(v->asDouble());
    return 0;
}

std::string requireAccessToken(const Value& o) {
    std::string token = stringMember(o, "access_token");
    if (token.empty()) throw std::runtime_error("token response has no access_token");
    return token;
}

SysTime plusSeconds(SysTime now, std::int64_t seconds) { return now + std::chrono::seconds(seconds); }

}  // namespace

Credential claudeCredential(const std::string& tokenBody, SysTime now) {
    const Value o = parseObject(tokenBody);
    const std::string access = requireAccessToken(o);
    std::string email;
    if (const Value* account = o.find("account"); account != nullptr) email = stringMember(*account, "email_address");
    Value content = Value::object({
        {"access_token", access},
        {"email", email},
        {"expired", sdk::formatRfc3339(sdk::localTime(plusSeconds(now, intMember(o, "expires_in"))))},
        {"id_token", ""},
        {"last_refresh", sdk::formatRfc3339(sdk::localTime(now))},
        {"refresh_token", stringMember(o, "refresh_token")},
        {"type", "claude"},
    });
    return {"claude-" + email + ".json", std::move(content)};
}

std::string codexFileName(const std::string& email, const std::string& plan, const std::string& accountId) {
    std::string normalized;
    std::string piece;
    auto flush = [&] {
        if (piece.empty()) return;
        if (!normalized.empty()) normalized.push_back('-');
        normalized += sdk::lowerAscii(piece);
        piece.clear();
    };
    for (char c : plan) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
            piece.push_back(c);
        } else {
            flush();
        }
    }
    flush();
    if (normalized.empty()) return "codex-" + email + ".json";
    if (normalized == "team") {
        const std::string hash = accountId.empty() ? std::string{} : sdk::sha256Hex(accountId).substr(0, 8);
        return "codex-" + hash + "-" + email + "-team.json";
    }
    return "codex-" + email + "-" + normalized + ".json";
}

Credential codexCredential(const std::string& tokenBody, SysTime now) {
    const Value o = parseObject(tokenBody);
    const std::string access = requireAccessToken(o);
    const std::string idToken = stringMember(o, "id_token");
    std::string email;
    std::string accountId;
    std::string plan;
    // The ID token's payload is read without a signature check, like the
    // original: it only names the file and labels the account.
    const auto firstDot = idToken.find('.');
    const auto secondDot = firstDot == std::string::npos ? std::string::npos : idToken.find('.', firstDot + 1);
    if (secondDot != std::string::npos) {
        try {
            const Value claims = parseObject(sdk::base64UrlDecode(idToken.substr(firstDot + 1, secondDot - firstDot - 1)));
            email = stringMember(claims, "email");
            if (const Value* auth = claims.find("https://api.openai.com/auth"); auth != nullptr) {
                accountId = stringMember(*auth, "chatgpt_account_id");
                plan = stringMember(*auth, "chatgpt_plan_type");
            }
        } catch (const std::exception&) {
            // An unreadable ID token leaves the account fields empty.
        }
    }
    Value content = Value::object({
        {"access_token", access},
        {"account_id", accountId},
        {"email", email},
        {"expired", sdk::formatRfc3339(sdk::localTime(plusSeconds(now, intMember(o, "expires_in"))))},
        {"id_token", idToken},
        {"last_refresh", sdk::formatRfc3339(sdk::localTime(now))},
        {"refresh_token", stringMember(o, "refresh_token")},
        {"type", "codex"},
    });
    return {codexFileName(email, plan, accountId), std::move(content)};
}

GoogleToken parseGoogleToken(const std::string& tokenBody) {
    const Value o = parseObject(tokenBody);
    GoogleToken t;
    t.accessToken = requireAccessToken(o);
    t.refreshToken = stringMember(o, "refresh_token");
    t.tokenType = stringMember(o, "token_type");
    t.expiresIn = intMember(o, "expires_in");
    return t;
}

std::string geminiFileName(const std::string& email, const std::string& projectId) {
    const std::string p = sdk::trimAscii(projectId);
    if (sdk::lowerAscii(p) == "all" || p.find(',') != std::string::npos) return "gemini-" + email + "-all.json";
    return "gemini-" + email + "-" + p + ".json";
}

Credential geminiCredential(const GoogleToken& token, const GeminiAccount& account, SysTime now) {
    Value scopes = Value::array();
    for (const auto& s : account.scopes) scopes.push(s);
    Value tok = Value::object();
    tok.set("access_token", token.accessToken);
    tok.set("client_id", account.clientId);
    tok.set("client_secret", account.clientSecret);
    if (token.expiresIn > 0) tok.set("expires_in", token.expiresIn);
    if (token.expiresIn > 0) tok.set("expiry", sdk::formatRfc3339Nano(sdk::localTime(plusSeconds(now, token.expiresIn))));
    if (!token.refreshToken.empty()) tok.set("refresh_token", token.refreshToken);
    tok.set("scopes", std::move(scopes));
    if (!token.tokenType.empty()) tok.set("token_type", token.tokenType);
    tok.set("token_uri", account.tokenUri);
    tok.set("universe_domain", "googleapis.com");
    Value content = Value::object({
        {"auto", account.autoProject},
        {"checked", account.checked},
        {"email", account.email},
        {"project_id", account.projectId},
        {"token", std::move(tok)},
        {"type", "gemini"},
    });
    return {geminiFileName(account.email, account.projectId), std::move(content), true};
}

Credential antigravityCredential(const GoogleToken& token, const std::string& email, const std::string& projectId,
                                 SysTime now) {
    Value content = Value::object();
    content.set("access_token", token.accessToken);
    content.set("disabled", false);
    content.set("email", email);
    content.set("expired", sdk::formatRfc3339(sdk::localTime(plusSeconds(now, token.expiresIn))));
    content.set("expires_in", token.expiresIn);
    if (!projectId.empty()) content.set("project_id", projectId);
    content.set("refresh_token", token.refreshToken);
    content.set("timestamp", unixMillis(now));
    content.set("type", "antigravity");
    return {email.empty() ? "antigravity.json" : "antigravity-" + email + ".json", std::move(content)};
}

Credential kimiCredential(const std::string& tokenBody, const std::string& deviceId, SysTime now) {
    const Value o = parseObject(tokenBody);
    Value content = Value::object();
    content.set("access_token", requireAccessToken(o));
    if (!deviceId.empty()) content.set("device_id", deviceId);
    if (const auto expiresIn = intMember(o, "expires_in"); expiresIn > 0) {
        content.set("expired", sdk::formatRfc3339(sdk::utcTime(plusSeconds(now, expiresIn))));
    }
    content.set("refresh_token", stringMember(o, "refresh_token"));
    content.set("scope", stringMember(o, "scope"));
    content.set("timestamp", unixMillis(now));
    content.set("token_type", stringMember(o, "token_type"));
    content.set("type", "kimi");
    return {"kimi-" + std::to_string(unixMillis(now)) + ".json", std::move(content), true};
}

}  // namespace cpa::oauth::login
