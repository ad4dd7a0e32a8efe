#include "audit_log.hpp"

#include "reverse_line_reader.hpp"

#include <cpa/sdk/json.hpp>

#include <system_error>

namespace cpa::logs {

namespace fs = std::filesystem;

namespace {

std::optional<std::uint64_t> idOf(const std::string& line) {
    try {
        const sdk::Value v = sdk::parseJson(line);
        const sdk::Value* id = v.find("id");
        if (id && id->isInt() && id->asInt() >= 0) return static_cast<std::uint64_t>(id->asInt());
    } catch (...) {
        // A torn or hand-edited line has no id.
    }
    return std::nullopt;
}

}  // namespace

AuditLog::AuditLog(fs::path dir, std::uint64_t maxBytes) : dir_(std::move(dir)), maxBytes_(maxBytes) {}

std::uint64_t AuditLog::lastId() const {
    std::lock_guard lock(mutex_);
    if (lastId_) return *lastId_;
    std::uint64_t last = 0;
    std::error_code ec;
    if (fs::exists(dir_ / "audit.log", ec)) {
        try {
            ReverseLineReader reader(dir_ / "audit.log");
            std::string line;
            while (reader.previous(line)) {
                if (const auto id = idOf(line)) {
                    last = *id;
                    break;
                }
            }
        } catch (const std::exception&) {
            // Unreadable: ids restart; entries still carry their time.
        }
    }
    // Not cached here: append() is the one writer of lastId_ (under the lock).
    return last;
}

bool AuditLog::append(sdk::Value entry) {
    const std::uint64_t previous = lastId();
    std::lock_guard lock(mutex_);
    const std::uint64_t id = (lastId_ ? *lastId_ : previous) + 1;
    sdk::Value line = sdk::Value::object({{"id", static_cast<long long>(id)}});
    for (auto& [k, v] : entry.asObject()) line.set(k, std::move(v));
    try {
        if (!file_) file_ = std::make_unique<MainLogFile>(dir_, maxBytes_, "audit");
    } catch (const std::exception&) {
        return false;
    }
    if (!file_->write(sdk::toJson(line) + "\n")) return false;
    lastId_ = id;
    return true;
}

sdk::Value AuditLog::latest(std::size_t limit, std::uint64_t after) const {
    sdk::Value entries = sdk::Value::array();
    std::error_code ec;
    if (!fs::exists(dir_ / "audit.log", ec)) return entries;
    std::vector<sdk::Value> newestFirst;
    ReverseLineReader reader(dir_ / "audit.log");
    std::string line;
    while (newestFirst.size() < limit && reader.previous(line)) {
        sdk::Value v;
        try {
            v = sdk::parseJson(line);
        } catch (...) {
            continue;  // a torn last line after a crash
        }
        const sdk::Value* id = v.find("id");
        if (!id || !id->isInt()) continue;
        if (static_cast<std::uint64_t>(id->asInt()) <= after) break;
        newestFirst.push_back(std::move(v));
    }
    for (auto it = newestFirst.rbegin(); it != newestFirst.rend(); ++it) entries.push(std::move(*it));
    return entries;
}

}  // namespace cpa::logs
