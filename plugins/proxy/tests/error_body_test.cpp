// Client error bodies before commit (data-plane §9.1, §9.2).
#include "http/error_body.hpp"

#include <gtest/gtest.h>

namespace cpa::proxy {
namespace {

using namespace std::chrono;

TEST(ErrorBody, TypesAndCodesByStatus) {
    EXPECT_EQ(genericError(401, "x").body,
              R"({"error":{"message":"x","type":"authentication_error","code":"invalid_api_key"}})");
    EXPECT_EQ(genericError(403, "x").body,
              R"({"error":{"message":"x","type":"permission_error","code":"insufficient_quota"}})");
    EXPECT_EQ(genericError(429, "x").body,
              R"({"error":{"message":"x","type":"rate_limit_error","code":"rate_limit_exceeded"}})");
    EXPECT_EQ(genericError(404, "x").body,
              R"({"error":{"message":"x","type":"invalid_request_error","code":"model_not_found"}})");
    EXPECT_EQ(genericError(502, "x").body,
              R"({"error":{"message":"x","type":"server_error","code":"internal_server_error"}})");
    EXPECT_EQ(genericError(418, "x").body, R"({"error":{"message":"x","type":"invalid_request_error"}})");
}

TEST(ErrorBody, JsonIsVerbatimStatusZeroIs500EmptyTextIsReason) {
    EXPECT_EQ(genericError(400, "  [1,2]  ").body, "  [1,2]  ");
    EXPECT_EQ(genericError(400, R"("just a string")").body, R"("just a string")");
    const auto net = genericError(0, "connection refused");
    EXPECT_EQ(net.status, 500);
    EXPECT_EQ(net.body, R"({"error":{"message":"connection refused","type":"server_error","code":"internal_server_error"}})");
    EXPECT_EQ(genericError(503, "").body,
              R"({"error":{"message":"Service Unavailable","type":"server_error","code":"internal_server_error"}})");
    EXPECT_EQ(genericError(400, "{broken").body, R"({"error":{"message":"{broken","type":"invalid_request_error"}})");
}

TEST(ErrorBody, GoDurations) {
    EXPECT_EQ(goDuration(0), "0s");
    EXPECT_EQ(goDuration(45), "45s");
    EXPECT_EQ(goDuration(90), "1m30s");
    EXPECT_EQ(goDuration(1800), "30m0s");
    EXPECT_EQ(goDuration(3600), "1h0m0s");
    EXPECT_EQ(goDuration(43200 + 61), "12h1m1s");
}

TEST(ErrorBody, PickErrors) {
    const TimePoint now = TimePoint(seconds(1000));
    PickError cooldown{PickError::Code::ModelCooldown, now + milliseconds(89'400)};
    auto r = pickErrorReply(cooldown, {"claude", "codex"}, "m", now, false);
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.body,
              R"({"error":{"code":"model_cooldown","message":"All credentials for model m are cooling down","model":"m","reset_seconds":90,"reset_time":"1m29s"}})");
    EXPECT_TRUE(r.headers.empty());
    r = pickErrorReply(PickError{PickError::Code::ModelCooldown, now + milliseconds(300)}, {"codex"}, "m", now, true);
    EXPECT_NE(r.body.find(R"("reset_seconds":1,"reset_time":"1s")"), std::string::npos) << r.body;
    ASSERT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"Retry-After", "1"}));
    r = pickErrorReply(PickError{PickError::Code::AuthNotFound, {}}, {"acme", "other"}, "gpt(high)", now, false);
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.body,
              R"j({"error":{"message":"auth_not_found: no auth available (providers=acme,other, model=gpt(high))","type":"server_error","code":"internal_server_error"}})j");
}

}  // namespace
}  // namespace cpa::proxy
