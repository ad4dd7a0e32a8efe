#include "request_log_files.hpp"

#include <algorithm>
#include <chrono>
#include <system_error>

#include <sys/stat.h>

namespace cpa::logs {

namespace fs = std::filesystem;

namespace {

bool endsWith(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// "-YYYY-MM-DDTHHMMSS" exactly.
bool isStampSegment(std::string_view s) {
    static constexpr std::string_view kShape = "-0000-00-00T000000";
    if (s.size() != kShape.size()) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (kShape[i] == '0' ? !isDigit(s[i]) : s[i] != kShape[i]) return false;
    }
    return true;
}

bool within(const fs::path& base, const fs::path& p) {
    const std::string b = base.string();
    const std::string s = p.string();
    return s.size() > b.size() + 1 && s.compare(0, b.size(), b) == 0 && s[b.size()] == '/';
}

std::int64_t mtimeSeconds(const struct stat& st) { return static_cast<std::int64_t>(st.st_mtim.tv_sec); }

}  // namespace

std::vector<ErrorLogInfo> listErrorLogs(const fs::path& dir) {
    std::vector<ErrorLogInfo> out;
    for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        if (name.rfind("error-", 0) != 0 || !endsWith(name, ".log")) continue;
        struct stat st {};
        // lstat: a symlink is not listed (it could describe a file outside).
        if (::lstat(e.path().c_str(), &st) != 0) {
            throw fs::filesystem_error("failed to read log info for " + name, e.path(),
                                       std::error_code(errno, std::generic_category()));
        }
        if (!S_ISREG(st.st_mode)) continue;
        out.push_back({name, static_cast<std::uint64_t>(st.st_size), mtimeSeconds(st)});
    }
    std::stable_sort(out.begin(), out.end(), [](const ErrorLogInfo& a, const ErrorLogInfo& b) {
        if (a.modified != b.modified) return a.modified > b.modified;
        return a.name > b.name;
    });
    return out;
}

std::optional<std::string> requestIdOfLogName(std::string_view name) {
    if (!endsWith(name, ".log")) return std::nullopt;
    name.remove_suffix(4);
    // "<prefix>-YYYY-MM-DDTHHMMSS-<id>": a client's id may hold '-' (issue 25),
    // so the id is whatever follows the first stamp segment after the prefix.
    constexpr std::size_t kStamp = 18;  // "-YYYY-MM-DDTHHMMSS"
    for (std::size_t p = 1; p + kStamp + 1 < name.size(); ++p) {
        if (!isStampSegment(name.substr(p, kStamp)) || name[p + kStamp] != '-') continue;
        return std::string(name.substr(p + kStamp + 1));
    }
    return std::nullopt;
}

bool plausibleRequestId(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '.';
    });
}

std::optional<std::string> findRequestLog(const fs::path& dir, std::string_view id) {
    std::optional<std::string> best;
    std::int64_t bestTime = 0;
    for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        const auto found = requestIdOfLogName(name);
        if (!found || *found != id) continue;
        struct stat st {};
        if (::lstat(e.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        const std::int64_t t = mtimeSeconds(st);
        if (!best || t > bestTime || (t == bestTime && name > *best)) {
            best = name;
            bestTime = t;
        }
    }
    return best;
}

Resolved resolveInside(const fs::path& dir, const std::string& name) {
    std::error_code ec;
    const fs::path base = fs::absolute(dir, ec).lexically_normal();
    if (ec) return {ResolveStatus::ReadError, {}, "failed to resolve log directory: " + ec.message()};
    const fs::path candidate = (base / name).lexically_normal();
    if (!within(base, candidate) || candidate.parent_path() != base) return {ResolveStatus::InvalidPath, {}, {}};

    struct stat st {};
    if (::lstat(candidate.c_str(), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) return {ResolveStatus::NotFound, {}, {}};
        return {ResolveStatus::ReadError, {}, std::error_code(errno, std::generic_category()).message()};
    }
    if (S_ISLNK(st.st_mode)) {
        // Only a link that stays inside the (real) log directory is served.
        const fs::path realBase = fs::weakly_canonical(base, ec);
        const fs::path target = fs::weakly_canonical(candidate, ec);
        if (ec || !within(realBase, target)) return {ResolveStatus::InvalidPath, {}, {}};
        if (::stat(candidate.c_str(), &st) != 0) return {ResolveStatus::NotFound, {}, {}};
    }
    if (S_ISDIR(st.st_mode)) return {ResolveStatus::NotAFile, {}, {}};
    if (!S_ISREG(st.st_mode)) return {ResolveStatus::InvalidPath, {}, {}};
    return {ResolveStatus::Ok, candidate, {}};
}

}  // namespace cpa::logs
