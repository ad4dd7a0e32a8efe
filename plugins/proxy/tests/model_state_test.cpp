// The cooldown state machine (data-plane §6.10), each duration on a fixed clock.
#include "routing/error_class.hpp"
#include "routing/model_state.hpp"

#include <gtest/gtest.h>

namespace cpa::proxy {
namespace {

using namespace std::chrono;
const TimePoint kNow = TimePoint(seconds(1'700'000'000));

std::optional<seconds> cooldownAfter(int status, std::string text = "boom", bool dc = false,
                                     std::optional<seconds> ra = {}) {
    ModelState st;
    applyFailure(st, Failure{status, std::move(text), ra}, dc, kNow);
    if (!st.nextRetryAfter) return std::nullopt;
    return duration_cast<seconds>(*st.nextRetryAfter - kNow);
}

TEST(ModelState, CooldownPerStatus) {
    EXPECT_EQ(cooldownAfter(401), minutes(30));
    EXPECT_EQ(cooldownAfter(402), minutes(30));
    EXPECT_EQ(cooldownAfter(403), minutes(30));
    EXPECT_EQ(cooldownAfter(404), hours(12));
    EXPECT_EQ(cooldownAfter(429), seconds(1));
    for (int s : {408, 500, 502, 503, 504}) EXPECT_EQ(cooldownAfter(s), minutes(1)) << s;
    for (int s : {0, 400, 418, 501}) EXPECT_EQ(cooldownAfter(s), std::nullopt) << s;
    EXPECT_EQ(cooldownAfter(400, R"({"error":{"code":"model_not_supported"}})"), hours(12));
    EXPECT_EQ(cooldownAfter(422, "The requested model is not supported"), hours(12));
}

TEST(ModelState, DisableCoolingKeepsOnlyModelSupportCooldown) {
    for (int s : {401, 403, 404, 429, 500, 503}) EXPECT_EQ(cooldownAfter(s, "x", true), std::nullopt) << s;
    EXPECT_EQ(cooldownAfter(400, "unsupported model", true), hours(12));
}

TEST(ModelState, QuotaBackoffDoublesThenCapsAndSuccessResets) {
    ModelState st;
    std::vector<std::int64_t> got;
    for (int i = 0; i < 13; ++i) {
        applyFailure(st, Failure{429, "slow down", {}}, false, kNow);
        got.push_back(duration_cast<seconds>(*st.nextRetryAfter - kNow).count());
    }
    const std::vector<std::int64_t> want = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 1800, 1800};
    EXPECT_EQ(got, want);
    EXPECT_TRUE(st.quotaExceeded);
    applySuccess(st);
    applyFailure(st, Failure{429, "slow down", {}}, false, kNow);
    EXPECT_EQ(*st.nextRetryAfter - kNow, seconds(1));
}

TEST(ModelState, RetryAfterIsUsedVerbatimWithoutChangingTheLevel) {
    ModelState st;
    applyFailure(st, Failure{429, "x", seconds(42)}, false, kNow);
    EXPECT_EQ(*st.nextRetryAfter - kNow, seconds(42));
    EXPECT_EQ(st.backoffLevel, 0);
}

TEST(ModelState, BlockingIsLazyAndReportsQuota) {
    ModelState st;
    applyFailure(st, Failure{429, "x", {}}, false, kNow);
    BlockInfo b = blockInfo(&st, kNow);
    EXPECT_TRUE(b.blocked);
    EXPECT_TRUE(b.quota);
    EXPECT_FALSE(blockInfo(&st, kNow + seconds(1)).blocked);
    applyFailure(st, Failure{500, "x", {}}, false, kNow);
    EXPECT_TRUE(blockInfo(&st, kNow + seconds(30)).blocked);
    EXPECT_FALSE(blockInfo(nullptr, kNow).blocked);
    ModelState none;
    applyFailure(none, Failure{418, "x", {}}, false, kNow);
    EXPECT_TRUE(none.unavailable);
    EXPECT_FALSE(blockInfo(&none, kNow).blocked);  // unavailable without a retry time: not blocked
}

TEST(ModelState, RequestScopedNotFoundRecordsNothing) {
    ModelState st;
    const auto effect = applyFailure(
        st, Failure{404, "Item with id 'rs_1' not found. Items are not persisted when `store` is set to false.", {}},
        false, kNow);
    EXPECT_FALSE(effect.recorded);
    EXPECT_FALSE(st.unavailable);
}

TEST(ErrorClass, RequestInvalid) {
    EXPECT_TRUE(isRequestInvalid(400, R"({"error":{"type":"invalid_request_error"}})"));
    EXPECT_TRUE(isRequestInvalid(400, "INVALID_ARGUMENT"));
    EXPECT_TRUE(isRequestInvalid(400, "FAILED_PRECONDITION"));
    EXPECT_TRUE(isRequestInvalid(422, "anything"));
    EXPECT_TRUE(isRequestInvalid(500, R"({"status": "UNKNOWN"})"));
    EXPECT_FALSE(isRequestInvalid(400, "plain bad request"));
    EXPECT_FALSE(isRequestInvalid(422, "model_not_supported"));
    EXPECT_FALSE(isRequestInvalid(400, "invalid_request_error: requested model is unavailable"));
    EXPECT_FALSE(isRequestInvalid(404, "not found"));
    EXPECT_FALSE(isRequestInvalid(500, "oops"));
}

TEST(ErrorClass, BootstrapRetryable) {
    for (int s : {0, 401, 402, 403, 408, 429, 500, 503}) EXPECT_TRUE(isBootstrapRetryable(s)) << s;
    for (int s : {400, 404, 422}) EXPECT_FALSE(isBootstrapRetryable(s)) << s;
}

}  // namespace
}  // namespace cpa::proxy
