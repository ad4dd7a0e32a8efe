#include "log_files.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <utility>

namespace cpa::logs {

namespace fs = std::filesystem;

namespace {

bool digitsAt(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

// "YYYY-MM-DD<sep1>HH<sep2>MM<sep2>SS" in local time, exactly 19 characters.
std::optional<std::int64_t> parseLayout(std::string_view s, char sep1, char sep2) {
    if (s.size() != 19 || s[4] != '-' || s[7] != '-' || s[10] != sep1 || s[13] != sep2 || s[16] != sep2) {
        return std::nullopt;
    }
    int year = 0, mon = 0, day = 0, hour = 0, min = 0, sec = 0;
    if (!digitsAt(s, 0, 4, year) || !digitsAt(s, 5, 2, mon) || !digitsAt(s, 8, 2, day) ||
        !digitsAt(s, 11, 2, hour) || !digitsAt(s, 14, 2, min) || !digitsAt(s, 17, 2, sec)) {
        return std::nullopt;
    }
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mon < 1 || mon > 12 || day < 1 || day > kDays[mon - 1] || hour > 23 || min > 59 || sec > 59) {
        return std::nullopt;
    }
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (mon == 2 && day == 29 && !leap) return std::nullopt;
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = mon - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = min;
    tm.tm_sec = sec;
    tm.tm_isdst = -1;
    return static_cast<std::int64_t>(std::mktime(&tm));
}

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool endsWith(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

}  // namespace

std::optional<std::int64_t> parseLocalTimestamp(std::string_view text) { return parseLayout(text, ' ', ':'); }

std::int64_t lineTimestamp(std::string_view line) {
    if (!line.empty() && line.front() == '[') line.remove_prefix(1);
    if (line.size() < 19) return 0;
    return parseLocalTimestamp(line.substr(0, 19)).value_or(0);
}

std::optional<std::int64_t> mainLogOrder(std::string_view name) {
    if (name == "main.log") return 0;
    if (startsWith(name, "main.log.")) {
        std::string_view n = name.substr(9);
        if (!n.empty() && n.front() == '+') n.remove_prefix(1);  // the original's Atoi takes a sign
        std::int64_t v = 0;
        const auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), v);
        if (n.empty() || ec != std::errc() || end != n.data() + n.size()) return std::nullopt;
        return v;
    }
    if (startsWith(name, "main-")) {
        std::string_view rest = name.substr(5);
        if (endsWith(rest, ".gz")) rest.remove_suffix(3);
        if (!endsWith(rest, ".log")) return std::nullopt;
        rest.remove_suffix(4);
        rest = rest.substr(0, rest.find('.'));
        const auto secs = parseLayout(rest, 'T', '-');
        if (!secs) return std::nullopt;
        return std::numeric_limits<std::int64_t>::max() - *secs;
    }
    return std::nullopt;
}

std::vector<fs::path> mainLogFilesOldestFirst(const fs::path& dir) {
    std::vector<std::pair<std::int64_t, fs::path>> found;
    for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
        std::error_code ec;
        if (e.is_directory(ec)) continue;
        const std::string name = e.path().filename().string();
        if (auto order = mainLogOrder(name)) found.emplace_back(*order, e.path());
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        if (a.first != b.first) return a.first > b.first;
        return a.second.filename() < b.second.filename();
    });
    std::vector<fs::path> out;
    out.reserve(found.size());
    for (auto& f : found) out.push_back(std::move(f.second));
    return out;
}

}  // namespace cpa::logs
