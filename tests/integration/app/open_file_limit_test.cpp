// The open-file limit raised at start-up and the max-threads default derived from it.
#include "app/open_file_limit.hpp"
#include "app/server_options_reader.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include <sys/resource.h>

namespace cpa::core {
namespace {

TEST(OpenFileLimit, RaisesTheSoftLimitToTheHardOne) {
    // In a child: the test process keeps its own limits.
    EXPECT_EXIT(
        {
            rlimit r{};
            ::getrlimit(RLIMIT_NOFILE, &r);
            r.rlim_cur = 64;
            if (::setrlimit(RLIMIT_NOFILE, &r) != 0) std::exit(2);
            const OpenFileLimit got = raiseOpenFileLimit();
            const bool raised = got.before == 64 && got.after == r.rlim_max && openFileLimit() == r.rlim_max;
            const OpenFileLimit again = raiseOpenFileLimit();
            std::exit(raised && again.before == again.after ? 0 : 1);
        },
        ::testing::ExitedWithCode(0), "");
}

TEST(OpenFileLimit, DefaultMaxThreadsIsHalfTheLimitWithinBounds) {
    EXPECT_EQ(defaultMaxThreads(0), 1024);
    EXPECT_EQ(defaultMaxThreads(1024), 1024);
    EXPECT_EQ(defaultMaxThreads(20000), 10000);
    EXPECT_EQ(defaultMaxThreads(1u << 20), 16384);
}

TEST(OpenFileLimit, TheConfigsMaxThreadsWinsOverTheDefault) {
    const sdk::ConfigSnapshot none(sdk::Value::object(), "", 1);
    EXPECT_EQ(readServerOptions(none, 10000).maxThreads, 10000);
    EXPECT_EQ(readServerOptions(none).maxThreads, 1024) << "the built-in default without one";
    const sdk::ConfigSnapshot set(
        sdk::Value::object({{"http-server", sdk::Value::object({{"max-threads", 32}})}}), "", 1);
    EXPECT_EQ(readServerOptions(set, 10000).maxThreads, 32);
}

}  // namespace
}  // namespace cpa::core
