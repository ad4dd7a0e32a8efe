#include "runtime/services_registry.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

using cpa::core::ServicesRegistry;

TEST(ServicesRegistry, ProvidesAndFindsByVersionedId) {
    ServicesRegistry services;
    services.provide("cpa.UsageSink/1", std::make_shared<int>(7));
    const auto found = services.get<int>("cpa.UsageSink/1");
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(*found, 7);
    EXPECT_EQ(services.find("cpa.UsageSink/2"), nullptr);
    EXPECT_EQ(services.find(""), nullptr);
    EXPECT_EQ(services.ids(), std::vector<std::string>{"cpa.UsageSink/1"});
}

TEST(ServicesRegistry, ProvidingTwiceIsALogicError) {
    ServicesRegistry services;
    services.provide("x/1", std::make_shared<int>(1));
    EXPECT_THROW(services.provide("x/1", std::make_shared<int>(2)), std::logic_error);
    EXPECT_EQ(*services.get<int>("x/1"), 1);
    EXPECT_THROW(services.provide("", std::make_shared<int>(1)), std::invalid_argument);
    EXPECT_THROW(services.provide("y/1", nullptr), std::invalid_argument);
}

TEST(ServicesRegistry, ClearReleasesServicesOutsideTheLock) {
    ServicesRegistry services;
    struct LooksUpOnDestruction {
        ServicesRegistry* registry;
        bool* sawEmpty;
        ~LooksUpOnDestruction() { *sawEmpty = registry->find("a/1") == nullptr; }
    };
    bool sawEmpty = false;
    services.provide("a/1", std::make_shared<LooksUpOnDestruction>(LooksUpOnDestruction{&services, &sawEmpty}));
    services.clear();
    EXPECT_TRUE(sawEmpty);
    EXPECT_TRUE(services.ids().empty());
    services.provide("a/1", std::make_shared<int>(3));  // usable again after clear
    EXPECT_EQ(*services.get<int>("a/1"), 3);
}

TEST(ServicesRegistry, ConcurrentProvideAndFind) {
    ServicesRegistry services;
    std::atomic<int> duplicates{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                try {
                    services.provide("s/" + std::to_string(i), std::make_shared<int>(i));
                } catch (const std::logic_error&) {
                    ++duplicates;
                }
                const auto v = services.get<int>("s/" + std::to_string(i));
                ASSERT_NE(v, nullptr);
                ASSERT_EQ(*v, i);
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(duplicates.load(), 3 * 200);
    EXPECT_EQ(services.ids().size(), 200u);
}
