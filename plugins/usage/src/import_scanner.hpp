#pragma once
// POST /usage/import without a JSON tree (issue 7): a 240 MB export parsed
// into sdk::Value took ~1.9 GB. The scanner walks the body text once to
// validate it and once more to hand each detail to a visitor, keeping
// nothing but the body itself. It decides only bodies whose meaning is plain
// (no duplicate or case-variant keys where members bind, well-formed JSON);
// anything else is left to the tree decoder (ScanOutcome::Fallback), so
// every body keeps exactly the tree decoder's result and error (usage.md §5).
#include "usage_store.hpp"

#include <cstdint>
#include <string_view>

namespace cpa::usage {

class ImportVisitor {
public:
    virtual ~ImportVisitor() = default;
    /// An entry of usage.apis, name as written (untrimmed), in body order.
    virtual void beginApi(std::string_view name) = 0;
    /// An entry of that API's models, name as written.
    virtual void beginModel(std::string_view name) = 0;
    /// A detail of the current model, decoded like detailFromJson.
    virtual void detail(Detail d) = 0;
};

enum class ScanOutcome {
    Ok,       ///< valid; `version` is set
    Invalid,  ///< the tree decoder would answer 400 "invalid json"
    Fallback  ///< not decided here: decode with parseJson + snapshotFromJson
};

struct ScanResult {
    ScanOutcome outcome = ScanOutcome::Fallback;
    std::int64_t version = 0;
};

/// Validates `body` as an import body; with a visitor, also reports every
/// detail. A visitor must only be passed for a body that scanned Ok (the
/// visit of an invalid body stops at an arbitrary point).
ScanResult scanImport(std::string_view body, ImportVisitor* visitor = nullptr);

}  // namespace cpa::usage
