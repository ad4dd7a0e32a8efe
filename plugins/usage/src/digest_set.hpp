#pragma once
// A set of 128-bit digests with open addressing: 16 bytes a slot, no node
// allocations (a million dedup keys cost ~32 MB instead of ~56 MB).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace cpa::usage {

struct Digest {
    std::uint64_t a = 0, b = 0;
    bool operator==(const Digest& o) const noexcept { return a == o.a && b == o.b; }
};

class DigestSet {
public:
    bool contains(Digest d) const noexcept {
        if (slots_.empty()) return false;
        d = canonical(d);
        for (std::size_t i = d.a & mask_;; i = (i + 1) & mask_) {
            if (slots_[i] == d) return true;
            if (slots_[i] == Digest{}) return false;
        }
    }
    /// False when already present.
    bool insert(Digest d) {
        if ((count_ + 1) * 2 > slots_.size()) grow();
        d = canonical(d);
        for (std::size_t i = d.a & mask_;; i = (i + 1) & mask_) {
            if (slots_[i] == d) return false;
            if (slots_[i] == Digest{}) {
                slots_[i] = d;
                ++count_;
                return true;
            }
        }
    }
    std::size_t size() const noexcept { return count_; }

private:
    // The all-zero digest marks an empty slot.
    static Digest canonical(Digest d) noexcept { return d == Digest{} ? Digest{0, 1} : d; }
    void grow() {
        std::vector<Digest> old;
        old.swap(slots_);
        slots_.assign(old.empty() ? 1024 : old.size() * 2, Digest{});
        mask_ = slots_.size() - 1;
        count_ = 0;
        for (const Digest& d : old) {
            if (!(d == Digest{})) insert(d);
        }
    }

    std::vector<Digest> slots_;
    std::size_t mask_ = 0;
    std::size_t count_ = 0;
};

}  // namespace cpa::usage
