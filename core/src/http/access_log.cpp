#include "http/access_log.hpp"

#include "http/query_string.hpp"

#include <cpa/sdk/hex.hpp>
#include <cpa/sdk/json.hpp>

#include <cstdio>

namespace cpa::core {

namespace {

std::string padLeft(std::string s, std::size_t width, std::size_t visibleLen) {
    if (visibleLen < width) s.insert(0, width - visibleLen, ' ');
    return s;
}

// "µ" is two bytes in UTF-8 but one column.
std::size_t visibleLength(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

// A decoded path may hold control characters (%0A); never let them split or
// forge log lines.
void appendPrintable(std::string& out, std::string_view text) {
    for (unsigned char c : text) {
        if (c < 0x20 || c == 0x7F) {
            out += "\\x";
            sdk::appendHexByte(out, c);
        } else {
            out += static_cast<char>(c);
        }
    }
}

}  // namespace

std::string formatLatency(std::chrono::nanoseconds d) {
    using namespace std::chrono;
    if (d.count() <= 0) return "0s";
    if (d < milliseconds(1)) {
        const auto us = duration_cast<microseconds>(d).count();
        return us == 0 ? std::to_string(d.count()) + "ns" : std::to_string(us) + "µs";
    }
    if (d < seconds(1)) return std::to_string(duration_cast<milliseconds>(d).count()) + "ms";
    if (d < minutes(1)) {
        const auto ms = duration_cast<milliseconds>(d).count();
        std::string text = std::to_string(ms / 1000);
        if (const auto frac = ms % 1000; frac != 0) {
            char buf[8];
            std::snprintf(buf, sizeof buf, ".%03d", static_cast<int>(frac));
            std::string f(buf);
            while (f.back() == '0') f.pop_back();
            text += f;
        }
        return text + "s";
    }
    const auto total = duration_cast<seconds>(d).count();
    const auto h = total / 3600;
    const auto m = (total % 3600) / 60;
    const auto s = total % 60;
    std::string text;
    if (h > 0) text += std::to_string(h) + "h";
    text += std::to_string(m) + "m" + std::to_string(s) + "s";
    return text;
}

std::string formatAccessLine(int status, std::chrono::nanoseconds latency, std::string_view clientIp,
                             std::string_view method, std::string_view path, std::string_view rawQuery) {
    const std::string statusText = std::to_string(status);
    const std::string lat = formatLatency(latency);
    std::string ip(clientIp);
    std::string m(method);
    if (m.size() < 7) m.append(7 - m.size(), ' ');

    std::string line = padLeft(statusText, 3, statusText.size());
    line += " | ";
    line += padLeft(lat, 13, visibleLength(lat));
    line += " | ";
    line += padLeft(ip, 15, ip.size());
    line += " | ";
    line += m;
    line += " \"";
    appendPrintable(line, path);
    if (!rawQuery.empty()) {
        line += '?';
        appendPrintable(line, maskQuery(rawQuery));
    }
    line += '"';
    return line;
}

std::string formatAccessFields(int status, std::chrono::nanoseconds latency, std::string_view clientIp,
                               std::string_view method, std::string_view path, std::string_view rawQuery) {
    std::string target(path);
    if (!rawQuery.empty()) {
        target += '?';
        target += maskQuery(rawQuery);
    }
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.3f", static_cast<double>(latency.count()) / 1e6);
    std::string out = "\"status\":" + std::to_string(status) + ",\"latency_ms\":" + ms + ",\"client_ip\":";
    sdk::appendJsonString(out, clientIp);
    out += ",\"method\":";
    sdk::appendJsonString(out, method);
    out += ",\"path\":";
    sdk::appendJsonString(out, target);
    return out;
}

sdk::LogLevel accessLogLevel(int status) noexcept {
    if (status >= 500) return sdk::LogLevel::Error;
    if (status >= 400) return sdk::LogLevel::Warning;
    return sdk::LogLevel::Info;
}

}  // namespace cpa::core
