#pragma once
// A fixed-capacity, lock-free map from a 64-bit label hash to a row of atomic
// counters. The request path only hashes, probes and adds: a row's label text
// is built once, by the thread that creates the row (the only allocation).
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace cpa::metrics {

/// FNV-1a over the parts, with a separator so ("ab","c") != ("a","bc").
class LabelHash {
public:
    LabelHash& add(std::string_view part) noexcept {
        for (const char c : part) mix(static_cast<unsigned char>(c));
        mix(0xFF);
        return *this;
    }
    LabelHash& add(std::uint64_t n) noexcept {
        for (int i = 0; i < 8; ++i) mix(static_cast<unsigned char>(n >> (8 * i)));
        return *this;
    }
    /// Never 0 (0 marks a free row).
    std::uint64_t value() const noexcept { return h_ == 0 ? 1 : h_; }

private:
    void mix(unsigned char c) noexcept { h_ = (h_ ^ c) * 0x100000001b3ULL; }
    std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

template <std::size_t N>
class SeriesTable {
public:
    struct Row {
        std::atomic<std::uint64_t> key{0};
        std::atomic<bool> ready{false};  ///< labels written (readers skip rows not ready)
        std::string labels;              ///< rendered `a="x",b="y"`, set once
        std::array<std::atomic<std::uint64_t>, N> values{};

        void add(std::size_t i, std::uint64_t n) noexcept { values[i].fetch_add(n, std::memory_order_relaxed); }
        std::uint64_t get(std::size_t i) const noexcept { return values[i].load(std::memory_order_relaxed); }
    };

    /// `capacity` is rounded up to a power of two.
    explicit SeriesTable(std::size_t capacity) {
        std::size_t c = 1;
        while (c < capacity) c <<= 1;
        rows_ = std::make_unique<Row[]>(c);
        mask_ = c - 1;
    }

    /// The row for `key`; a new row gets its labels from `labels()` (called
    /// once). Null when the table is full (counted in overflow()). A 64-bit
    /// hash collision would merge two series; at a few thousand series the
    /// odds are about 1e-12.
    template <class LabelFn>
    Row* find(std::uint64_t key, LabelFn&& labels) noexcept {
        for (std::size_t probe = 0; probe <= mask_; ++probe) {
            Row& row = rows_[(key + probe) & mask_];
            std::uint64_t seen = row.key.load(std::memory_order_acquire);
            if (seen == key) return &row;
            if (seen == 0) {
                if (row.key.compare_exchange_strong(seen, key, std::memory_order_acq_rel)) {
                    try {
                        row.labels = labels();
                    } catch (...) {
                        // Out of memory: the row counts with empty labels.
                    }
                    row.ready.store(true, std::memory_order_release);
                    return &row;
                }
                if (seen == key) return &row;  // another thread created it meanwhile
            }
        }
        overflow_.fetch_add(1, std::memory_order_relaxed);
        return nullptr;
    }

    /// Calls fn(row) for every row whose labels are written.
    template <class Fn>
    void forEach(Fn&& fn) const {
        for (std::size_t i = 0; i <= mask_; ++i) {
            const Row& row = rows_[i];
            if (row.ready.load(std::memory_order_acquire)) fn(row);
        }
    }

    /// Observations dropped because the table was full.
    std::uint64_t overflow() const noexcept { return overflow_.load(std::memory_order_relaxed); }

private:
    std::unique_ptr<Row[]> rows_;
    std::size_t mask_ = 0;
    std::atomic<std::uint64_t> overflow_{0};
};

}  // namespace cpa::metrics
