// NeedleFinder (src/json/needle_finder.*) agrees with std::string_view::find.
#include "json/needle_finder.hpp"

#include <gtest/gtest.h>

#include <random>
#include <stdexcept>
#include <string>

namespace cpa::proxy::testing {
namespace {

TEST(NeedleFinder, FindsEveryOccurrenceLikeStringFind) {
    const NeedleFinder usage("\"usage\"");
    const std::string chunk =
        R"({"id":"c","choices":[{"delta":{"content":"usage"}}],"usage":null,"x":{"usage":{"a":1}}})";
    std::string_view hay(chunk);
    for (std::size_t from = 0; from <= hay.size() + 1; ++from)
        EXPECT_EQ(usage.find(hay, from), hay.find("\"usage\"", from)) << "from " << from;
    EXPECT_EQ(usage.find(""), std::string_view::npos);
    EXPECT_EQ(usage.find("\"usage"), std::string_view::npos);  // shorter than the needle
    EXPECT_EQ(usage.find("\"usage\""), 0u);                     // exactly the needle
}

TEST(NeedleFinder, MatchesStringFindOnRandomText) {
    std::mt19937 rng(7);
    const std::string alphabet = "ab\"";
    for (int round = 0; round < 200; ++round) {
        std::string hay, needle;
        for (int i = 0; i < 60; ++i) hay += alphabet[rng() % alphabet.size()];
        for (std::size_t i = 0, n = 1 + rng() % 4; i < n; ++i) needle += alphabet[rng() % alphabet.size()];
        const NeedleFinder finder(needle);
        for (std::size_t from = 0; from <= hay.size(); from += 7)
            ASSERT_EQ(finder.find(hay, from), std::string_view(hay).find(needle, from)) << hay << " / " << needle;
    }
}

TEST(NeedleFinder, RejectsEmptyAndOverlongNeedles) {
    EXPECT_THROW(NeedleFinder(""), std::invalid_argument);
    EXPECT_THROW(NeedleFinder(std::string(256, 'x')), std::invalid_argument);
    EXPECT_NO_THROW(NeedleFinder(std::string(255, 'x')));
}

}  // namespace
}  // namespace cpa::proxy::testing
