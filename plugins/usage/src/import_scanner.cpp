#include "import_scanner.hpp"

#include "json_cursor.hpp"

#include <cpa/sdk/text.hpp>

#include <array>
#include <string>
#include <unordered_set>
#include <vector>

namespace cpa::usage {

namespace {

class Scanner : JsonCursor {
public:
    Scanner(std::string_view body, ImportVisitor* visitor) : JsonCursor(body), visitor_(visitor) {}

    ScanResult run() {
        try {
            top();
        } catch (const Bail&) {
            return {ScanOutcome::Fallback, 0};
        }
        if (invalid_) return {ScanOutcome::Invalid, 0};
        return {ScanOutcome::Ok, version_};
    }

private:
    /// A schema object: every key in `names` may appear once; a second
    /// occurrence or a case variant (which the tree decoder would bind by
    /// its own rules) leaves the body to it.
    template <std::size_t N, typename F>
    void schemaObject(int depth, const std::array<std::string_view, N>& names, F&& field) {
        std::array<bool, N> seen{};
        members(depth, [&](std::string_view key) {
            for (std::size_t i = 0; i < N; ++i) {
                if (key == names[i]) {
                    if (seen[i]) throw Bail{};
                    seen[i] = true;
                    field(i);
                    return;
                }
                if (sdk::iequals(key, names[i])) throw Bail{};
            }
            skip(depth);
        });
    }

    /// True when the value is an object to descend into; null → false;
    /// anything else is a type error (skipped, noted).
    bool objectOrNull(int depth) {
        if (takeNull()) return false;
        if (peek() == '{') return true;
        skip(depth);
        invalid_ = true;
        return false;
    }

    std::int64_t intField(int depth) {
        if (takeNull()) return 0;
        const char c = peek();
        if (c == '-' || (c >= '0' && c <= '9')) {
            const auto [isInt, v] = number();
            if (isInt) return v;
        } else {
            skip(depth);
        }
        invalid_ = true;
        return 0;
    }

    std::string stringField(int depth) {
        if (takeNull()) return {};
        if (peek() == '"') {
            std::string storage;
            return std::string(string(storage));
        }
        skip(depth);
        invalid_ = true;
        return {};
    }

    // ---- the import schema (usage.md §5.1; snapshotFromJson) --------------

    void top() {
        ws();
        if (takeNull()) {
            end();
            return;
        }
        if (peek() != '{') {
            skip(0);
            end();
            invalid_ = true;  // "body is not an object"
            return;
        }
        static constexpr std::array<std::string_view, 2> kNames{"version", "usage"};
        schemaObject(1, kNames, [&](std::size_t i) {
            if (i == 0) {
                version_ = intField(1);
            } else if (objectOrNull(1)) {
                usage(2);
            }
        });
        end();
    }

    void end() {
        ws();
        if (!atEnd()) throw Bail{};
    }

    void usage(int depth) {
        static constexpr std::array<std::string_view, 9> kNames{
            "total_requests", "success_count",  "failure_count", "total_tokens", "requests_by_day",
            "requests_by_hour", "tokens_by_day", "tokens_by_hour", "apis"};
        schemaObject(depth, kNames, [&](std::size_t i) {
            if (i < 4) {
                intField(depth);
            } else if (i < 8) {
                if (objectOrNull(depth)) intMap(depth + 1);
            } else if (objectOrNull(depth)) {
                namedEntries(depth + 1, true);
            }
        });
    }

    void intMap(int depth) {
        std::unordered_set<std::string> keys;
        members(depth, [&](std::string_view key) {
            if (!keys.emplace(key).second) throw Bail{};  // last one wins there
            intField(depth);
        });
    }

    /// usage.apis (apis = true) or an API's models: name → entry objects.
    void namedEntries(int depth, bool apis) {
        std::unordered_set<std::string> names;
        members(depth, [&](std::string_view name) {
            if (!names.emplace(name).second) throw Bail{};  // last one wins, first one's place
            if (visitor_) apis ? visitor_->beginApi(name) : visitor_->beginModel(name);
            if (!objectOrNull(depth)) return;
            if (apis) {
                static constexpr std::array<std::string_view, 3> kApi{"total_requests", "total_tokens", "models"};
                schemaObject(depth + 1, kApi, [&](std::size_t i) {
                    if (i < 2) {
                        intField(depth + 1);
                    } else if (objectOrNull(depth + 1)) {
                        namedEntries(depth + 2, false);
                    }
                });
            } else {
                static constexpr std::array<std::string_view, 3> kModel{"total_requests", "total_tokens", "details"};
                schemaObject(depth + 1, kModel, [&](std::size_t i) {
                    if (i < 2) {
                        intField(depth + 1);
                    } else {
                        details(depth + 1);
                    }
                });
            }
        });
    }

    void details(int depth) {
        if (takeNull()) return;
        if (peek() != '[') {
            skip(depth);
            invalid_ = true;
            return;
        }
        if (depth + 1 > kMaxDepth) throw Bail{};
        ++pos_;
        ws();
        if (peek() == ']') {
            ++pos_;
            return;
        }
        for (;;) {
            detail(depth + 1);
            ws();
            const char next = peek();
            ++pos_;
            if (next == ']') return;
            if (next != ',') throw Bail{};
        }
    }

    void detail(int depth) {
        Detail d;
        d.timestamp.seconds = -62135596800;  // Go's zero time: "not set"
        ws();
        if (!takeNull()) {
            if (peek() != '{') {
                skip(depth);
                invalid_ = true;
                return;
            }
            static constexpr std::array<std::string_view, 6> kNames{"timestamp",  "latency_ms", "source",
                                                                    "auth_index", "tokens",     "failed"};
            schemaObject(depth + 1, kNames, [&](std::size_t i) {
                switch (i) {
                    case 0:
                        if (takeNull()) break;
                        if (peek() != '"') {
                            skip(depth + 1);
                            invalid_ = true;
                        } else {
                            std::string storage;
                            const auto parsed = parseRfc3339(string(storage));
                            if (parsed) d.timestamp = *parsed;
                            else invalid_ = true;
                        }
                        break;
                    case 1: d.latencyMs = intField(depth + 1); break;
                    case 2: d.source = stringField(depth + 1); break;
                    case 3: d.authIndex = stringField(depth + 1); break;
                    case 4:
                        if (objectOrNull(depth + 1)) tokens(depth + 2, d.tokens);
                        break;
                    default:
                        if (takeNull()) break;
                        if (peek() == 't') {
                            literal("true");
                            d.failed = true;
                        } else if (peek() == 'f') {
                            literal("false");
                        } else {
                            skip(depth + 1);
                            invalid_ = true;
                        }
                }
            });
        }
        if (visitor_ && !invalid_) visitor_->detail(std::move(d));
    }

    void tokens(int depth, Tokens& t) {
        static constexpr std::array<std::string_view, 5> kNames{"input_tokens", "output_tokens", "reasoning_tokens",
                                                                "cached_tokens", "total_tokens"};
        std::int64_t* fields[5] = {&t.input, &t.output, &t.reasoning, &t.cached, &t.total};
        schemaObject(depth, kNames, [&](std::size_t i) { *fields[i] = intField(depth); });
    }

    ImportVisitor* visitor_;
    bool invalid_ = false;
    std::int64_t version_ = 0;
};

}  // namespace

ScanResult scanImport(std::string_view body, ImportVisitor* visitor) { return Scanner(body, visitor).run(); }

}  // namespace cpa::usage
