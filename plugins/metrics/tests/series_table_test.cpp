// The lock-free series table and the exposition writer, without a module.
#include "histogram.hpp"
#include "prometheus_text.hpp"
#include "series_table.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

using namespace cpa::metrics;

TEST(SeriesTable, ConcurrentAddsOnSharedAndNewRowsAreAllCounted) {
    SeriesTable<1> table(64);
    constexpr int kThreads = 4, kPerThread = 20000, kKeys = 16;
    std::vector<std::thread> threads;
    int labelCalls[kKeys] = {};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < kPerThread; ++i) {
                const int k = i % kKeys;
                auto* row = table.find(LabelHash().add(std::uint64_t(k)).value(), [&] {
                    ++labelCalls[k];  // only the creating thread runs this
                    return "k=\"" + std::to_string(k) + "\"";
                });
                ASSERT_NE(row, nullptr);
                row->add(0, 1);
            }
        });
    }
    for (auto& t : threads) t.join();
    std::uint64_t total = 0;
    int rows = 0;
    table.forEach([&](const auto& row) {
        total += row.get(0);
        ++rows;
        EXPECT_EQ(row.get(0), std::uint64_t(kThreads * kPerThread / kKeys)) << row.labels;
    });
    EXPECT_EQ(rows, kKeys);
    EXPECT_EQ(total, std::uint64_t(kThreads * kPerThread));
    for (int k = 0; k < kKeys; ++k) EXPECT_EQ(labelCalls[k], 1) << k;
}

TEST(SeriesTable, AFullTableDropsAndCountsInsteadOfGrowing) {
    SeriesTable<1> table(4);
    for (std::uint64_t k = 1; k <= 4; ++k) ASSERT_NE(table.find(k, [] { return std::string(); }), nullptr);
    EXPECT_EQ(table.find(99, [] { return std::string(); }), nullptr);
    EXPECT_EQ(table.overflow(), 1u);
    EXPECT_NE(table.find(3, [] { return std::string(); }), nullptr) << "existing rows still count";
}

TEST(LabelHash, PartsAreSeparated) {
    EXPECT_NE(LabelHash().add("ab").add("c").value(), LabelHash().add("a").add("bc").value());
    EXPECT_EQ(LabelHash().add("x").value(), LabelHash().add("x").value());
}

TEST(PrometheusText, LabelValuesAreEscaped) {
    EXPECT_EQ(renderLabels({{"a", "x\"y\\z\nw"}, {"b", ""}}), R"(a="x\"y\\z\nw",b="")");
}

TEST(PrometheusText, HistogramBucketsAreCumulativeAndEndWithCount) {
    HistogramTable table(4);
    auto* row = table.find(1, [] { return renderLabels({{"f", "x"}}); });
    observe(*row, 3'000'000);        // 3 ms → le 0.005
    observe(*row, 200'000'000);      // 200 ms → le 0.25
    observe(*row, 500'000'000'000);  // 500 s → +Inf only
    PrometheusText out;
    out.histogram("h_seconds", *row);
    const std::string& t = out.text();
    EXPECT_NE(t.find("h_seconds_bucket{f=\"x\",le=\"0.005\"} 1\n"), std::string::npos) << t;
    EXPECT_NE(t.find("h_seconds_bucket{f=\"x\",le=\"0.1\"} 1\n"), std::string::npos) << t;
    EXPECT_NE(t.find("h_seconds_bucket{f=\"x\",le=\"0.25\"} 2\n"), std::string::npos) << t;
    EXPECT_NE(t.find("h_seconds_bucket{f=\"x\",le=\"120\"} 2\n"), std::string::npos) << t;
    EXPECT_NE(t.find("h_seconds_bucket{f=\"x\",le=\"+Inf\"} 3\n"), std::string::npos) << t;
    EXPECT_NE(t.find("h_seconds_count{f=\"x\"} 3\n"), std::string::npos) << t;
    EXPECT_NE(t.find("h_seconds_sum{f=\"x\"} 500.20299999999997\n"), std::string::npos) << t;
}
