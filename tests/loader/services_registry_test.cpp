#include "runtime/services_registry.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using cpa::core::ServicesRegistry;
using cpa::sdk::ServiceKey;

namespace {
constexpr ServiceKey<int> kSink{"cpa.UsageSink/1"};
constexpr ServiceKey<int> kSinkV2{"cpa.UsageSink/2"};

struct Base {
    virtual ~Base() = default;
    int n = 1;
};
struct Derived : Base {};
}  // namespace

TEST(ServicesRegistry, ProvidesAndFindsByTypedKey) {
    ServicesRegistry services;
    services.provide(kSink, std::make_shared<int>(7));
    const std::shared_ptr<int> found = services.get(kSink);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(*found, 7);
    EXPECT_EQ(services.get(kSinkV2), nullptr);
    EXPECT_EQ(services.get(ServiceKey<int>{""}), nullptr);
    EXPECT_EQ(services.ids(), std::vector<std::string>{"cpa.UsageSink/1"});
}

TEST(ServicesRegistry, AskingForAnotherTypeIsACheckedFailureNamingBothTypes) {
    ServicesRegistry services;
    services.provide(kSink, std::make_shared<int>(7));
    try {
        services.get(ServiceKey<std::string>{"cpa.UsageSink/1"});
        FAIL() << "a mismatched type must not be returned";
    } catch (const std::logic_error& e) {
        EXPECT_STREQ(e.what(), "service 'cpa.UsageSink/1' is provided as int, asked for as "
                               "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >");
    }
    EXPECT_EQ(*services.get(kSink), 7) << "the right type still works";
}

TEST(ServicesRegistry, AServiceIsProvidedAsItsKeysTypeNotItsDynamicType) {
    ServicesRegistry services;
    constexpr ServiceKey<Base> kBase{"test.Base/1"};
    services.provide(kBase, std::make_shared<Derived>());  // converted to the key's type
    EXPECT_EQ(services.get(kBase)->n, 1);
    EXPECT_THROW(services.get(ServiceKey<Derived>{"test.Base/1"}), std::logic_error);
}

TEST(ServicesRegistry, ProvidingTwiceIsALogicError) {
    ServicesRegistry services;
    constexpr ServiceKey<int> kX{"x/1"};
    services.provide(kX, std::make_shared<int>(1));
    EXPECT_THROW(services.provide(kX, std::make_shared<int>(2)), std::logic_error);
    EXPECT_EQ(*services.get(kX), 1);
    EXPECT_THROW(services.provide(ServiceKey<int>{""}, std::make_shared<int>(1)), std::invalid_argument);
    EXPECT_THROW(services.provide(ServiceKey<int>{"y/1"}, nullptr), std::invalid_argument);
}

TEST(ServicesRegistry, ClearReleasesServicesOutsideTheLock) {
    ServicesRegistry services;
    struct LooksUpOnDestruction {
        ServicesRegistry* registry;
        bool* sawEmpty;
        ~LooksUpOnDestruction() { *sawEmpty = registry->get(ServiceKey<LooksUpOnDestruction>{"a/1"}) == nullptr; }
    };
    bool sawEmpty = false;
    services.provide(ServiceKey<LooksUpOnDestruction>{"a/1"},
                     std::make_shared<LooksUpOnDestruction>(LooksUpOnDestruction{&services, &sawEmpty}));
    services.clear();
    EXPECT_TRUE(sawEmpty);
    EXPECT_TRUE(services.ids().empty());
    services.provide(ServiceKey<int>{"a/1"}, std::make_shared<int>(3));  // usable again, even as another type
    EXPECT_EQ(*services.get(ServiceKey<int>{"a/1"}), 3);
}

TEST(ServicesRegistry, ConcurrentProvideAndFind) {
    ServicesRegistry services;
    std::atomic<int> duplicates{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                const std::string id = "s/" + std::to_string(i);
                try {
                    services.provide(ServiceKey<int>{id}, std::make_shared<int>(i));
                } catch (const std::logic_error&) {
                    ++duplicates;
                }
                const auto v = services.get(ServiceKey<int>{id});
                ASSERT_NE(v, nullptr);
                ASSERT_EQ(*v, i);
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(duplicates.load(), 3 * 200);
    EXPECT_EQ(services.ids().size(), 200u);
}
