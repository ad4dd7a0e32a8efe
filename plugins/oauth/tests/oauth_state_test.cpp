// The oauth module's parsing and state pieces: how a file becomes a
// credential record (auth-files.md §1.2, §2.1), the listing entries built from
// records (auth-files.md §3.1, multi-project Gemini files), the `$TOKEN$` of /api-call
// (api-call.md §3.1) and the private_key normalisation of /vertex/import
// (auth-files.md §11).
#include "api_call_token.hpp"
#include "auth_file_entry.hpp"
#include "credential_record.hpp"
#include "service_account_key.hpp"

#include <cpa/sdk/credential_identity.hpp>
#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

using namespace cpa;
using namespace cpa::oauth;
using sdk::parseJson;
using sdk::Value;

namespace {

constexpr std::int64_t kSec = 1000000000LL;
constexpr std::int64_t kNow = 1777608003LL * kSec;  // 2026-05-01T04:00:03Z

StoredPtr build(const char* json, const char* name = "a.json", const StoredCredential* previous = nullptr,
                bool allowUntyped = false) {
    FileInfo info{name, 42, 1777600000LL * kSec};
    return buildCredential("/auth", info, parseJson(json), previous, allowUntyped);
}

StoredCredential record(const char* json, const char* name = "a.json") {
    StoredPtr p = build(json, name);
    EXPECT_TRUE(p) << json;
    return p ? *p : StoredCredential{};
}

const Value& member(const Value& v, const char* key) {
    const Value* m = v.find(key);
    EXPECT_TRUE(m) << key;
    static const Value null;
    return m ? *m : null;
}

// A JWT whose payload is `payload` (header and signature are never checked).
std::string jwt(const std::string& payload) {
    static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < payload.size(); i += 3) {
        const unsigned n = (static_cast<unsigned char>(payload[i]) << 16) |
                           (static_cast<unsigned char>(payload[i + 1]) << 8) | static_cast<unsigned char>(payload[i + 2]);
        out += abc[(n >> 18) & 63];
        out += abc[(n >> 12) & 63];
        out += abc[(n >> 6) & 63];
        out += abc[n & 63];
    }
    if (payload.size() - i == 1) {
        const unsigned n = static_cast<unsigned char>(payload[i]) << 16;
        out += abc[(n >> 18) & 63];
        out += abc[(n >> 12) & 63];
    } else if (payload.size() - i == 2) {
        const unsigned n = (static_cast<unsigned char>(payload[i]) << 16) | (static_cast<unsigned char>(payload[i + 1]) << 8);
        out += abc[(n >> 18) & 63];
        out += abc[(n >> 12) & 63];
        out += abc[(n >> 6) & 63];
    }
    return "eyJhbGciOiJub25lIn0." + out + ".sig";
}

class OauthListing : public ::testing::Test {
protected:
    void SetUp() override {
        ::setenv("TZ", "UTC", 1);
        ::tzset();
    }
};

}  // namespace

// ----- a file becomes a record -----

TEST(OauthRecord, OnlyObjectsWithATypeAreCredentialsUnlessUploaded) {
    EXPECT_FALSE(build("[]"));
    EXPECT_FALSE(build(R"("x")"));
    EXPECT_FALSE(build("{}"));
    EXPECT_FALSE(build(R"({"type":7})"));
    EXPECT_FALSE(build(R"({"type":"  "})"));
    StoredPtr upload = build("{}", "u.json", nullptr, true);
    ASSERT_TRUE(upload);
    EXPECT_EQ(upload->provider, "unknown");
    EXPECT_EQ(upload->label, "unknown");
}

TEST(OauthRecord, ProviderIsTheLowerCasedTypeAndGeminiIsGeminiCli) {
    EXPECT_EQ(record(R"({"type":" Claude "})").provider, "claude");
    EXPECT_EQ(record(R"({"type":"GEMINI"})").provider, "gemini-cli");
    EXPECT_EQ(record(R"({"type":"gemini-cli"})").provider, "gemini-cli");
}

TEST(OauthRecord, IdentityPathSizeAndAuthIndexComeFromTheFileName) {
    const StoredCredential c = record(R"({"type":"codex","email":" a@b.c "})", "codex-a@b.c.json");
    EXPECT_EQ(c.id, "codex-a@b.c.json");
    EXPECT_EQ(c.fileName, "codex-a@b.c.json");
    EXPECT_EQ(c.authIndex, sdk::fileAuthIndex("codex-a@b.c.json"));  // D10
    EXPECT_EQ(c.authIndex.size(), 16u);
    EXPECT_EQ(c.path, std::filesystem::path("/auth/codex-a@b.c.json"));
    EXPECT_EQ(c.size, 42);
    EXPECT_EQ(c.modifiedUnixMs, 1777600000000LL);
    EXPECT_EQ(c.email, "a@b.c");
    EXPECT_EQ(c.metadata.find("email")->asString(), " a@b.c ");  // the file as written
}

TEST(OauthRecord, LabelFallsBackFromLabelToEmailToProjectToProvider) {
    EXPECT_EQ(record(R"({"type":"kimi","label":"L","email":"e","project_id":"p"})").label, "L");
    EXPECT_EQ(record(R"({"type":"kimi","email":"e","project_id":"p"})").label, "e");
    EXPECT_EQ(record(R"({"type":"kimi","project_id":"p"})").label, "p");
    EXPECT_EQ(record(R"({"type":"kimi","label":"  ","email":7})").label, "kimi");
}

TEST(OauthRecord, DisabledOnlyForTheBooleanTrue) {
    EXPECT_TRUE(record(R"({"type":"kimi","disabled":true})").disabled);
    EXPECT_EQ(record(R"({"type":"kimi","disabled":true})").status, "disabled");
    EXPECT_FALSE(record(R"({"type":"kimi","disabled":"true"})").disabled);
    EXPECT_EQ(record(R"({"type":"kimi","disabled":1})").status, "active");
}

TEST(OauthRecord, ARereadKeepsCreationTimeAndTheStatusMessageOfTheSameState) {
    StoredCredential previous = record(R"({"type":"kimi","disabled":true})");
    previous.createdNs = 123;
    previous.statusMessage = "disabled via management API";
    previous.lastRefreshNs = 5 * kSec;
    StoredPtr again = build(R"({"type":"kimi","disabled":true})", "a.json", &previous);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->createdNs, 123);
    EXPECT_GE(again->updatedNs, previous.updatedNs);
    EXPECT_EQ(again->statusMessage, "disabled via management API");
    EXPECT_EQ(again->lastRefreshNs, 5 * kSec);  // none in the file: the previous one stays
    StoredPtr enabled = build(R"({"type":"kimi","disabled":false})", "a.json", &previous);
    EXPECT_EQ(enabled->statusMessage, "");
}

TEST(OauthRecord, LastRefreshFromEveryAcceptedKeyAndForm) {
    EXPECT_EQ(record(R"({"type":"x","last_refresh":"2026-05-01T04:00:03Z"})").lastRefreshNs, kNow);
    EXPECT_EQ(record(R"({"type":"x","lastRefresh":"2026-05-01T12:00:03+08:00"})").lastRefreshNs, kNow);
    EXPECT_EQ(record(R"({"type":"x","last_refreshed_at":"2026-05-01 04:00:03"})").lastRefreshNs, kNow);
    EXPECT_EQ(record(R"({"type":"x","lastRefreshedAt":"1777608003"})").lastRefreshNs, kNow);
    EXPECT_EQ(record(R"({"type":"x","last_refresh":1777608003})").lastRefreshNs, kNow);
    EXPECT_EQ(record(R"({"type":"x","last_refresh":"soon"})").lastRefreshNs, 0);
    EXPECT_EQ(record(R"({"type":"x","last_refresh":-5})").lastRefreshNs, 0);
    EXPECT_EQ(record(R"({"type":"x","last_refresh":1777608003000})").lastRefreshNs, 0);  // milliseconds are not seconds
    // The first usable key wins.
    EXPECT_EQ(record(R"({"type":"x","last_refresh":"bad","lastRefresh":"1777608003"})").lastRefreshNs, kNow);
}

TEST(OauthRecord, MetaStringTrimsAndIgnoresOtherTypes) {
    const Value m = parseJson(R"({"a":"  x ","b":3,"c":null})");
    EXPECT_EQ(metaString(m, "a"), "x");
    EXPECT_EQ(metaString(m, "b"), "");
    EXPECT_EQ(metaString(m, "c"), "");
    EXPECT_EQ(metaString(m, "missing"), "");
}

// ----- listing entries -----

TEST_F(OauthListing, AnEntryHasEveryFieldInKeyOrder) {
    StoredCredential c = record(R"({"type":"claude","email":"u@x","priority":"+5","note":"  main  "})", "c.json");
    c.createdNs = kNow;
    c.updatedNs = kNow;
    c.lastRefreshNs = kNow;
    const std::vector<Value> entries = authFileEntries(c, kNow);
    ASSERT_EQ(entries.size(), 1u);
    const Value& e = entries[0];
    std::string previousKey;
    for (const auto& [key, value] : e.asObject()) {
        EXPECT_LT(previousKey, key);  // Go renders a map: keys sorted
        previousKey = key;
    }
    EXPECT_EQ(member(e, "id").asString(), "c.json");
    EXPECT_EQ(member(e, "name").asString(), "c.json");
    EXPECT_EQ(member(e, "type").asString(), "claude");
    EXPECT_EQ(member(e, "account_type").asString(), "oauth");
    EXPECT_EQ(member(e, "account").asString(), "u@x");
    EXPECT_EQ(member(e, "priority").asInt(), 5);
    EXPECT_EQ(member(e, "note").asString(), "main");
    EXPECT_EQ(member(e, "source").asString(), "file");
    EXPECT_EQ(member(e, "size").asInt(), 42);
    EXPECT_FALSE(member(e, "runtime_only").asBool());
    EXPECT_EQ(member(e, "created_at").asString(), "2026-05-01T04:00:03Z");
    EXPECT_EQ(member(e, "last_refresh").asString(), "2026-05-01T04:00:03Z");
    EXPECT_EQ(member(e, "recent_requests").size(), 20u);
    EXPECT_FALSE(e.find("id_token"));
}

TEST_F(OauthListing, OptionalFieldsAreLeftOutWhenEmpty) {
    StoredCredential c = record(R"({"type":"kimi","priority":"5x","note":"   "})");
    c.lastRefreshNs = 0;
    const Value e = authFileEntries(c, kNow)[0];
    for (const char* absent : {"email", "account", "account_type", "priority", "note", "last_refresh", "id_token"}) {
        EXPECT_FALSE(e.find(absent)) << absent;
    }
    EXPECT_EQ(member(authFileEntries(record(R"({"type":"kimi","priority":7.9})"), kNow)[0], "priority").asInt(), 7);
}

TEST_F(OauthListing, CodexEntriesCarryTheIdTokenClaims) {
    const std::string token = jwt(
        R"({"email":"u@x","https://api.openai.com/auth":{"chatgpt_account_id":"acc","chatgpt_plan_type":"plus",)"
        R"("chatgpt_subscription_active_until":"2027-01-01"}})");
    Value meta = Value::object({{"type", "codex"}, {"id_token", token}});
    const Value claims = codexIdTokenClaims(meta);
    ASSERT_TRUE(claims.isObject());
    EXPECT_EQ(sdk::toJson(claims),
              R"({"chatgpt_account_id":"acc","chatgpt_subscription_active_until":"2027-01-01","plan_type":"plus"})");
    StoredPtr c = buildCredential("/auth", FileInfo{"codex.json", 1, 0}, meta, nullptr, false);
    ASSERT_TRUE(c);
    EXPECT_EQ(sdk::toJson(member(authFileEntries(*c, kNow)[0], "id_token")), sdk::toJson(claims));
    EXPECT_TRUE(codexIdTokenClaims(Value::object({{"id_token", jwt(R"({"email":"u@x"})")}})).isNull());
    EXPECT_TRUE(codexIdTokenClaims(Value::object({{"id_token", "a.%%%.c"}})).isNull());
    EXPECT_TRUE(codexIdTokenClaims(Value::object({})).isNull());
}

TEST_F(OauthListing, AMultiProjectGeminiFileListsThePrimaryDisabledAndOneChildPerProject) {
    const StoredCredential c =
        record(R"({"type":"gemini","email":"u@x","project_id":"p1, p/2 ,p1,, p 3"})", "gemini-u@x-all.json");
    EXPECT_EQ(virtualProjects(c), (std::vector<std::string>{"p1", "p/2", "p 3"}));
    const std::vector<Value> entries = authFileEntries(c, kNow);
    ASSERT_EQ(entries.size(), 4u);
    EXPECT_TRUE(member(entries[0], "disabled").asBool());
    EXPECT_EQ(member(entries[0], "status").asString(), "disabled");
    EXPECT_EQ(member(entries[0], "auth_index").asString(), sdk::fileAuthIndex("gemini-u@x-all.json"));
    const Value& child = entries[2];
    EXPECT_EQ(member(child, "id").asString(), "gemini-u@x-all.json::p_2");
    EXPECT_EQ(member(child, "name").asString(), "gemini-u@x-all.json::p_2");  // no file name of its own
    EXPECT_EQ(member(child, "label").asString(), "u@x [p/2]");
    EXPECT_EQ(member(child, "account").asString(), "u@x (p/2)");
    EXPECT_TRUE(member(child, "runtime_only").asBool());
    EXPECT_FALSE(member(child, "disabled").asBool());
    EXPECT_EQ(member(child, "auth_index").asString(), sdk::fileAuthIndex("gemini-u@x-all.json#p/2"));
    EXPECT_EQ(member(entries[3], "id").asString(), "gemini-u@x-all.json::p_3");

    // One project is no multi-project file; another provider never is.
    EXPECT_TRUE(virtualProjects(record(R"({"type":"gemini","project_id":"p1"})")).empty());
    EXPECT_TRUE(virtualProjects(record(R"({"type":"codex","project_id":"p1,p2"})")).empty());
    // A disabled multi-project file shows only its primary.
    EXPECT_EQ(authFileEntries(record(R"({"type":"gemini","project_id":"a,b","disabled":true})"), kNow).size(), 1u);
}

TEST_F(OauthListing, TheListingIsSortedByLowerCasedName) {
    std::vector<StoredPtr> records{build(R"({"type":"kimi"})", "b.json"), build(R"({"type":"kimi"})", "C.json"),
                                   build(R"({"type":"kimi"})", "a.json")};
    Value listing = authFilesListing(records, kNow);
    std::vector<std::string> names;
    for (const Value& e : member(listing, "files").asArray()) names.push_back(member(e, "name").asString());
    EXPECT_EQ(names, (std::vector<std::string>{"a.json", "b.json", "C.json"}));
    EXPECT_EQ(sdk::toJson(authFilesListing({}, kNow)), R"({"files":[]})");
}

// ----- the token of /api-call -----

TEST(OauthApiCallToken, OtherProvidersTakeTheFirstStoredTokenInOrder) {
    CallCredential c;
    c.fromFile = true;
    c.provider = "claude";
    auto token = [&](const char* meta) {
        c.metadata = parseJson(meta);
        return resolveToken(c, kNow);
    };
    EXPECT_EQ(token(R"({"accessToken":"A","access_token":"B"})").token, "A");
    EXPECT_EQ(token(R"({"accessToken":" ","access_token":" B "})").token, "B");
    EXPECT_EQ(token(R"({"token":"T","id_token":"I"})").token, "T");
    EXPECT_EQ(token(R"({"token":{"accessToken":"O"},"id_token":"I"})").token, "O");
    EXPECT_EQ(token(R"({"token":{},"id_token":"I","cookie":"C"})").token, "I");
    EXPECT_EQ(token(R"({"cookie":"C"})").token, "C");
    const TokenResult none = token("{}");
    EXPECT_EQ(none.token, "");
    EXPECT_FALSE(none.needsRefresh);
}

TEST(OauthApiCallToken, ConfigCredentialsUseTheirApiKey) {
    CallCredential c;
    c.provider = "gemini";
    c.apiKey = "  AIza-key ";
    EXPECT_EQ(resolveToken(c, kNow).token, "AIza-key");
    c.metadata = parseJson(R"({"access_token":"meta"})");
    EXPECT_EQ(resolveToken(c, kNow).token, "meta");  // stored tokens come first
}

TEST(OauthApiCallToken, GeminiCliTokensAreRefreshedWhenMissingOrExpiringWithinTenSeconds) {
    CallCredential c;
    c.fromFile = true;
    c.provider = "gemini-cli";
    c.metadata = parseJson(R"({"token":{"access_token":"ya29","expiry":"2026-05-01T04:01:00Z"}})");
    TokenResult r = resolveToken(c, kNow);
    EXPECT_EQ(r.token, "ya29");
    EXPECT_FALSE(r.needsRefresh);
    r = resolveToken(c, kNow + 50 * kSec);  // 7 s left
    EXPECT_EQ(r.token, "");
    EXPECT_TRUE(r.needsRefresh);
    c.metadata = parseJson(R"({"access_token":"top","expiry":"2026-05-01T05:00:00Z"})");
    EXPECT_EQ(resolveToken(c, kNow).token, "top");
    c.metadata = parseJson(R"({"access_token":"no-expiry"})");
    EXPECT_EQ(resolveToken(c, kNow).token, "no-expiry");  // no expiry: used as is
    c.metadata = parseJson(R"({"token":{"refresh_token":"r"}})");
    EXPECT_TRUE(resolveToken(c, kNow).needsRefresh);
}

TEST(OauthApiCallToken, AntigravityNeedsAKnownExpiryThirtySecondsAhead) {
    CallCredential c;
    c.fromFile = true;
    c.provider = "antigravity";
    c.metadata = parseJson(R"({"access_token":"at","expired":"2026-05-01T04:01:00Z"})");
    EXPECT_EQ(resolveToken(c, kNow).token, "at");
    EXPECT_TRUE(resolveToken(c, kNow + 40 * kSec).needsRefresh);  // 17 s left
    // No `expired`: timestamp (ms) + expires_in (s).
    c.metadata = parseJson(R"({"access_token":"at","timestamp":1777608000000,"expires_in":3599})");
    EXPECT_EQ(resolveToken(c, kNow).token, "at");
    EXPECT_TRUE(resolveToken(c, kNow + 3570 * kSec).needsRefresh);
    // Neither: treated as expired.
    c.metadata = parseJson(R"({"access_token":"at"})");
    EXPECT_TRUE(resolveToken(c, kNow).needsRefresh);
}

// ----- /vertex/import private keys -----

namespace {

const char* kRsaPkcs8 =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBALVgYPHoBrpL9fxG\n"
    "IA2BnTYMVpWPUKzstSv1rQvqzUEj61gN5WVMazApOA51oTQr3kj450da6gAHwSWs\n"
    "XQmb9jWpzhstRJOIn6docQqPABWYD/PfHJSb5clKTspO38mnLV2lEhgdJdT3NdWp\n"
    "9mQuOn0FVzh9zwGtKkFzEcIC8veJAgMBAAECgYEAiY4hl/UXfRx03zGzx2qAd2ge\n"
    "FmlNjwgqUr+M0NfveLKsHujTC+NL+4eXOugdLPsEJyWWCbi6dPFsm4zANrRwoXSM\n"
    "JpE3PLQPCwn9iE6gBeeTLxCna63L8FyD76q9aAsFlVP4hwlcI568nsrh6NjopgKv\n"
    "hHMkwTWlaXncS/CYpo0CQQDnaS99Q30/RTLJ53lBjhIsm1OwqIxn7NrxxChtVe3d\n"
    "5/BHfSBe99snzguarvFh1S+4LGSPeN19nESbRRypnk8PAkEAyKYpoxEkUgSYOaUD\n"
    "eZWSAXdXiH0ArpmGmFh28TIpFYm46A5vJlLeoEAggoPPRJpWijWczQAzrTspC0FI\n"
    "OgxP5wJAfos4mulTDkxK77oSxtRn/9iYtVwWG6acO+UmrlN1FgoFjTJRh11GjMfR\n"
    "9K6B9RvdUnuEKijQBiZ0JexvNhoJ5QJAf3O0zQUNeh+7BhrAS1HrzYyeCG/GqCGT\n"
    "MmA3JVyEZk72KklI5yIKkeZKAD1zwhL7V41YjYtMSARlPOX52A2MDwJANhrQSLSo\n"
    "dUOcVImHc1M6I2mfWLh0CZ6XzSCH9MYjtjutllDdcldnOW6Y/1uiM0sDojciC5jt\n"
    "2T3O0lWGwXe79A==\n"
    "-----END PRIVATE KEY-----\n";

const char* kRsaPkcs1 =
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIICXAIBAAKBgQC1YGDx6Aa6S/X8RiANgZ02DFaVj1Cs7LUr9a0L6s1BI+tYDeVl\n"
    "TGswKTgOdaE0K95I+OdHWuoAB8ElrF0Jm/Y1qc4bLUSTiJ+naHEKjwAVmA/z3xyU\n"
    "m+XJSk7KTt/Jpy1dpRIYHSXU9zXVqfZkLjp9BVc4fc8BrSpBcxHCAvL3iQIDAQAB\n"
    "AoGBAImOIZf1F30cdN8xs8dqgHdoHhZpTY8IKlK/jNDX73iyrB7o0wvjS/uHlzro\n"
    "HSz7BCcllgm4unTxbJuMwDa0cKF0jCaRNzy0DwsJ/YhOoAXnky8Qp2uty/Bcg++q\n"
    "vWgLBZVT+IcJXCOevJ7K4ejY6KYCr4RzJME1pWl53EvwmKaNAkEA52kvfUN9P0Uy\n"
    "yed5QY4SLJtTsKiMZ+za8cQobVXt3efwR30gXvfbJ84Lmq7xYdUvuCxkj3jdfZxE\n"
    "m0UcqZ5PDwJBAMimKaMRJFIEmDmlA3mVkgF3V4h9AK6ZhphYdvEyKRWJuOgObyZS\n"
    "3qBAIIKDz0SaVoo1nM0AM607KQtBSDoMT+cCQH6LOJrpUw5MSu+6EsbUZ//YmLVc\n"
    "FhumnDvlJq5TdRYKBY0yUYddRozH0fSugfUb3VJ7hCoo0AYmdCXsbzYaCeUCQH9z\n"
    "tM0FDXofuwYawEtR682MnghvxqghkzJgNyVchGZO9ipJSOciCpHmSgA9c8IS+1eN\n"
    "WI2LTEgEZTzl+dgNjA8CQDYa0Ei0qHVDnFSJh3NTOiNpn1i4dAmel80gh/TGI7Y7\n"
    "rZZQ3XJXZzlumP9bojNLA6I3IguY7dk9ztJVhsF3u/Q=\n"
    "-----END RSA PRIVATE KEY-----\n";

const char* kEcPkcs8 =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg/YOQH4FQW+7EHecT\n"
    "UgpIKkgRujSxp+kvzK+/6HsH/aehRANCAATXiJr9nOeX18lAxPq2XEfTV0yeKH2I\n"
    "C20dBS1lWVkF3APTvNMY0kQD47fBIzbwIsWaT6KyJBvfuwaE8uU7poER\n"
    "-----END PRIVATE KEY-----\n";

}  // namespace

TEST(OauthServiceAccountKey, Pkcs8RsaBecomesAPkcs1Block) {
    EXPECT_EQ(normalizePrivateKey(kRsaPkcs8), kRsaPkcs1);
    EXPECT_EQ(normalizePrivateKey(kRsaPkcs1), kRsaPkcs1);  // already normal
}

TEST(OauthServiceAccountKey, LineEndingsEscapeSequencesAndNoiseAreCleanedFirst) {
    std::string messy = "\x1b[31m  ";
    for (const char* p = kRsaPkcs8; *p; ++p) {
        if (*p == '\n') messy += "\r\n";
        else messy += *p;
    }
    messy += "\x1b[0m\xff\n";
    EXPECT_EQ(normalizePrivateKey(messy), kRsaPkcs1);
    // Text around the markers and characters outside base64 inside them are dropped.
    std::string spaced = std::string("key: ") + kRsaPkcs8;
    spaced.insert(spaced.find("MIIC"), " \t");
    EXPECT_EQ(normalizePrivateKey(spaced + " trailing"), kRsaPkcs1);
}

TEST(OauthServiceAccountKey, RefusalsCarryTheOriginalsMessages) {
    auto message = [](std::string_view raw) {
        try {
            normalizePrivateKey(raw);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(message(""), "private_key is not valid pem: missing pem markers");
    EXPECT_EQ(message("MIICdgIBADANBgkq"), "private_key is not valid pem: missing pem markers");
    EXPECT_EQ(message("-----END PRIVATE KEY----- -----BEGIN PRIVATE KEY-----"),
              "private_key is not valid pem: missing pem markers");
    EXPECT_EQ(message("-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----"),
              "private_key is not valid pem: private_key base64 payload empty");
    EXPECT_EQ(message(kEcPkcs8), "private_key is not an RSA key");
    EXPECT_EQ(message("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----").rfind("private_key invalid pkcs8: ", 0),
              0u);
    EXPECT_EQ(message("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----")
                  .rfind("private_key invalid rsa: ", 0),
              0u);
}
