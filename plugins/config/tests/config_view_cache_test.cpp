// GET /config's body is rendered once per snapshot and follows every reload.
#include "config_view.hpp"
#include "config_view_cache.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/in_memory_config_store.hpp>

#include <gtest/gtest.h>

namespace cpa::config {
namespace {

sdk::Value rootWithDebug(bool debug) { return sdk::Value::object({{"debug", debug}, {"api-keys", sdk::Value::array()}}); }

TEST(ConfigViewCache, OneRenderPerSnapshotAndANewOneAfterAReload) {
    sdk::testing::InMemoryConfigStore store(rootWithDebug(false));
    ConfigViewCache cache;
    const auto first = cache.body(store.snapshot());
    EXPECT_EQ(*first, sdk::toJson(configView(store.snapshot()->root())));
    EXPECT_EQ(cache.body(store.snapshot()), first) << "the same snapshot reuses its body";

    const sdk::SnapshotPtr older = store.snapshot();
    store.reload(rootWithDebug(true));
    const auto second = cache.body(store.snapshot());
    EXPECT_NE(second, first);
    EXPECT_EQ(*second, sdk::toJson(configView(store.snapshot()->root())));
    EXPECT_NE(second->find("\"debug\":true"), std::string::npos) << *second;

    // A request still holding the older snapshot gets its own view, and the
    // newer one stays cached.
    EXPECT_EQ(*cache.body(older), *first);
    EXPECT_EQ(cache.body(store.snapshot()), second);
}

}  // namespace
}  // namespace cpa::config
