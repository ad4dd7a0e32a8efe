#include "runtime/build_info.hpp"
#include "runtime/event_bus.hpp"
#include "runtime/module_context.hpp"
#include "runtime/services_registry.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

TEST(ModuleContext, LendsTheSharedServicesAndANamedLogger) {
    cpa::loader_test::LogCapture log;
    cpa::loader_test::NullConfigStore store;
    cpa::core::ServicesRegistry services;
    cpa::core::EventBus events;
    cpa::sdk::Paths paths;
    paths.configFile = "/etc/cpa/config.yaml";
    cpa::core::ModuleContextImpl context(store, services, events, paths, cpa::core::buildInfo(), "quota");

    EXPECT_EQ(&context.config(), &store);
    EXPECT_EQ(&context.services(), &services);
    EXPECT_EQ(&context.events(), &events);
    EXPECT_EQ(context.paths().configFile, "/etc/cpa/config.yaml");
    EXPECT_EQ(&context.build(), &cpa::core::buildInfo());

    context.logger().warning("quota says hi");
    EXPECT_TRUE(log.contains("[warn ] [cpa.module.quota] quota says hi\n"));
}

TEST(BuildInfo, ComesFromTheBuildDefinitions) {
    const auto& info = cpa::core::buildInfo();
    // The values are compiled into build_info.cpp only (they change at every configure).
    EXPECT_NE(info.version, "dev") << "the build passes its version";
    EXPECT_FALSE(info.version.empty());
    EXPECT_FALSE(info.commit.empty());
    EXPECT_NE(info.buildDate, "unknown") << "the build passes its date";
    EXPECT_EQ(info.buildDate.size(), 20u) << info.buildDate;  // 2026-11-27T02:08:26Z
}
