// The start-up notices: an open proxy beyond loopback, the management line.
#include "app/startup_notices.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

namespace cpa::core {
namespace {

std::vector<StartupNotice> notices(const std::string& json, bool envPassword = false) {
    const sdk::ConfigSnapshot snap(sdk::parseJson(json), "", 1);
    return startupNotices(snap, "/etc/cpa/config.yaml", envPassword);
}

bool hasWarning(const std::vector<StartupNotice>& n, const std::string& needle) {
    for (const auto& x : n)
        if (x.level == sdk::LogLevel::Warning && x.text.find(needle) != std::string::npos) return true;
    return false;
}

TEST(StartupNotices, LoopbackHosts) {
    for (const char* h : {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", " 127.0.0.1 "})
        EXPECT_TRUE(isLoopbackHost(h)) << h;
    for (const char* h : {"", "0.0.0.0", "::", "10.0.0.5", "example.com", "[::]"}) EXPECT_FALSE(isLoopbackHost(h)) << h;
}

TEST(StartupNotices, OpenProxyBeyondLoopbackIsWarned) {
    EXPECT_TRUE(hasWarning(notices(R"({"host": "0.0.0.0"})"), "api-keys is empty"));
    EXPECT_TRUE(hasWarning(notices(R"({"host": "", "api-keys": ["  "]})"), "every interface"));
    EXPECT_TRUE(hasWarning(notices(R"({})"), "every interface"));
    EXPECT_FALSE(hasWarning(notices(R"({"host": "0.0.0.0", "api-keys": ["k"]})"), "api-keys"));
    EXPECT_FALSE(hasWarning(notices(R"({"host": "127.0.0.1"})"), "api-keys"));
}

TEST(StartupNotices, ManagementLineSaysOffAndHowToEnable) {
    const auto off = notices(R"({"host": "127.0.0.1"})");
    ASSERT_EQ(off.size(), 1u);
    EXPECT_EQ(off[0].level, sdk::LogLevel::Info);
    EXPECT_NE(off[0].text.find("management API is off"), std::string::npos);
    EXPECT_NE(off[0].text.find("secret-key"), std::string::npos);
    EXPECT_NE(off[0].text.find("MANAGEMENT_PASSWORD"), std::string::npos);
    const auto on = notices(R"({"host": "127.0.0.1", "remote-management": {"secret-key": "$2a$10$x"}})");
    EXPECT_NE(on[0].text.find("management API is on"), std::string::npos);
    EXPECT_NE(on[0].text.find("local clients only"), std::string::npos);
    EXPECT_NE(on[0].text.find("/management.html"), std::string::npos);
    const auto env = notices(R"({"host": "127.0.0.1"})", true);
    EXPECT_NE(env[0].text.find("MANAGEMENT_PASSWORD from any address"), std::string::npos);
}

}  // namespace
}  // namespace cpa::core
