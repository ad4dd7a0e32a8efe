// Did-you-mean for unknown config keys: close typos get the declared name,
// unrelated words get nothing.
#include "config/core_validation.hpp"
#include "config/key_suggestion.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

namespace cpa::core {
namespace {

TEST(KeySuggestion, EditDistanceCountsTranspositionsAsOne) {
    EXPECT_EQ(editDistance("management", "managment"), 1u);
    EXPECT_EQ(editDistance("routing", "rotuing"), 1u);
    EXPECT_EQ(editDistance("", "abc"), 3u);
    EXPECT_EQ(editDistance("port", "port"), 0u);
}

TEST(KeySuggestion, ClosestKeyOnlyForLikelyTypos) {
    const std::vector<std::string> keys{"host", "port", "remote-management", "routing", "api-keys"};
    EXPECT_EQ(closestKey("remote-managment", keys), "remote-management");
    EXPECT_EQ(closestKey("api-key", keys), "api-keys");
    EXPECT_EQ(closestKey("Port", keys), "port");
    EXPECT_FALSE(closestKey("foo-bar", keys));
    EXPECT_FALSE(closestKey("hst-name", keys));
    EXPECT_FALSE(closestKey("port", keys));  // a known key is not a typo
}

TEST(KeySuggestion, UnknownKeyLinesCarryTheSuggestion) {
    const sdk::Value root = sdk::parseJson(R"({"remote-managment": {}, "foo-bar": 1,
        "remote-management": {"secret-kye": "x"}})");
    const KeyLines lines{{"remote-managment", 3}, {"foo-bar", 5}, {"remote-management.secret-kye", 7}};
    const auto out = unknownConfigKeys(root, lines, {coreConfigDeclaration()});
    ASSERT_EQ(out.size(), 3u);
    EXPECT_NE(std::find(out.begin(), out.end(),
                        "line 3: unknown key 'remote-managment' (declared by neither the core nor a loaded module); "
                        "did you mean 'remote-management'?"),
              out.end());
    EXPECT_NE(std::find(out.begin(), out.end(),
                        "line 5: unknown key 'foo-bar' (declared by neither the core nor a loaded module)"),
              out.end());
    EXPECT_NE(std::find(out.begin(), out.end(),
                        "line 7: unknown key 'remote-management.secret-kye' (section 'remote-management' of core); "
                        "did you mean 'secret-key'?"),
              out.end());
}

}  // namespace
}  // namespace cpa::core
