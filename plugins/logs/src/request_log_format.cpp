#include "request_log_format.hpp"

#include <cpa/sdk/text.hpp>
#include <cpa/sdk/url_encoding.hpp>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <utility>
#include <vector>

namespace cpa::logs {

namespace {

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

bool sensitiveQueryKey(std::string key) {
    key = sdk::lowerAscii(sdk::percentDecodeLenient(key, true));
    if (key.size() >= 2 && key.compare(key.size() - 2, 2, "[]") == 0) key.resize(key.size() - 2);
    return key == "key" || contains(key, "api-key") || contains(key, "apikey") || contains(key, "api_key") ||
           contains(key, "token") || contains(key, "secret");
}

const std::string& str(const sdk::Value& record, std::string_view key) {
    static const std::string kEmpty;
    const sdk::Value* v = record.find(key);
    return v && v->isString() ? v->asString() : kEmpty;
}

std::int64_t integer(const sdk::Value& record, std::string_view key, std::int64_t fallback) {
    const sdk::Value* v = record.find(key);
    return v ? v->intOr(fallback) : fallback;
}

/// Header lists are arrays of [name, value] pairs.
std::vector<std::pair<std::string, std::string>> headerPairs(const sdk::Value* list) {
    std::vector<std::pair<std::string, std::string>> out;
    if (!list || !list->isArray()) return out;
    for (const sdk::Value& h : list->asArray()) {
        if (h.isArray() && h.size() == 2 && h.asArray()[0].isString() && h.asArray()[1].isString()) {
            out.emplace_back(h.asArray()[0].asString(), h.asArray()[1].asString());
        }
    }
    return out;
}

// Between sections the content ends with exactly three '\n' (logs.md §5.5).
void separate(std::string& out) {
    if (out.empty()) return;
    int trailing = 0;
    for (auto it = out.rbegin(); it != out.rend() && *it == '\n' && trailing < 3; ++it) ++trailing;
    out.append(static_cast<std::size_t>(3 - trailing), '\n');
}

void section(std::string& out, std::string_view name) {
    separate(out);
    out += "=== ";
    out += name;
    out += " ===\n";
}

std::string localStamp(std::chrono::system_clock::time_point when, const char* layout) {
    const std::time_t t = std::chrono::system_clock::to_time_t(when);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[64];
    return std::string(buf, std::strftime(buf, sizeof buf, layout, &tm));
}

}  // namespace

std::string maskValue(std::string_view v) {
    const std::size_t n = v.size();
    if (n > 8) return std::string(v.substr(0, 4)) + "..." + std::string(v.substr(n - 4));
    if (n >= 5) return std::string(v.substr(0, 2)) + "..." + std::string(v.substr(n - 2));
    if (n >= 3) return std::string(v.substr(0, 1)) + "..." + std::string(v.substr(n - 1));
    return std::string(v);
}

std::string maskHeaderValue(std::string_view name, std::string_view value) {
    const std::string key = sdk::lowerAscii(name);
    if (contains(key, "authorization")) {
        const std::size_t space = value.find(' ');
        if (space != std::string_view::npos) {
            return std::string(value.substr(0, space + 1)) + maskValue(value.substr(space + 1));
        }
        return maskValue(value);
    }
    if (contains(key, "api-key") || contains(key, "apikey") || contains(key, "token") || contains(key, "secret")) {
        return maskValue(value);
    }
    return std::string(value);
}

std::string maskQuery(std::string_view raw) {
    std::string out;
    std::size_t start = 0;
    for (;;) {
        std::size_t amp = raw.find('&', start);
        const bool last = amp == std::string_view::npos;
        if (last) amp = raw.size();
        const std::string_view part = raw.substr(start, amp - start);
        const std::size_t eq = part.find('=');
        if (eq != std::string_view::npos && sensitiveQueryKey(std::string(part.substr(0, eq)))) {
            out += std::string(part.substr(0, eq + 1)) + sdk::queryEscape(maskValue(sdk::percentDecodeLenient(part.substr(eq + 1), true)));
        } else {
            out += part;
        }
        if (last) break;
        out += '&';
        start = amp + 1;
    }
    return out;
}

std::string sanitizePathForFileName(std::string_view path) {
    const std::size_t q = path.find('?');
    if (q != std::string_view::npos) path = path.substr(0, q);
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    std::string out;
    for (const unsigned char c : path) {
        const bool dash = c == '/' || c == ':' || c == '<' || c == '>' || c == '"' || c == '|' || c == '?' ||
                          c == '*' || c == '\\' || std::isspace(c) != 0;
        const char ch = dash ? '-' : static_cast<char>(c);
        if (ch == '-' && !out.empty() && out.back() == '-') continue;
        out += ch;
    }
    while (!out.empty() && out.front() == '-') out.erase(out.begin());
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? std::string("root") : out;
}

std::string requestLogFileName(std::string_view path, std::chrono::system_clock::time_point when,
                               std::string_view id, bool errorFile) {
    return std::string(errorFile ? "error-" : "") + sanitizePathForFileName(path) + "-" +
           localStamp(when, "%Y-%m-%dT%H%M%S") + "-" + std::string(id) + ".log";
}

bool capturesRequest(const sdk::Value& record) {
    const std::string& path = str(record, "path");
    auto starts = [&](std::string_view p) { return path.compare(0, p.size(), p) == 0; };
    if (starts("/v0/management") || starts("/management")) return false;
    if (starts("/api") && !starts("/api/provider")) return false;
    if (str(record, "method") == "GET") return str(record, "downstream_transport") == "websocket";
    return true;
}

bool writesRecord(const sdk::Value& record, bool full) {
    if (full) return true;
    const sdk::Value* status = record.find("status");
    const sdk::Value* errors = record.find("upstream_errors");
    return (status && status->intOr(0) >= 400) || (errors && errors->isArray() && errors->size() > 0);
}

namespace {

// renderRequestLog's sections, in the order the original writes them.

void renderRequestInfo(std::string& out, const sdk::Value& record, std::string_view version, bool haveAttempts) {
    section(out, "REQUEST INFO");
    const std::string& query = str(record, "query");
    out += "Version: " + std::string(version) + "\n";
    out += "URL: " + str(record, "path") + (query.empty() ? "" : "?" + maskQuery(query)) + "\n";
    out += "Method: " + str(record, "method") + "\n";
    const std::string& down = str(record, "downstream_transport");
    out += "Downstream Transport: " + (down.empty() ? std::string("http") : down) + "\n";
    if (haveAttempts && !str(record, "upstream_transport").empty()) {
        out += "Upstream Transport: " + str(record, "upstream_transport") + "\n";
    }
    out += "Timestamp: " + str(record, "timestamp") + "\n";
}

void renderClientRequest(std::string& out, const sdk::Value& record, bool websocket) {
    section(out, "HEADERS");
    for (const auto& [name, value] : headerPairs(record.find("request_headers"))) {
        out += name + ": " + maskHeaderValue(name, value) + "\n";
    }
    if (!websocket) {
        section(out, "REQUEST BODY");
        out += str(record, "request_body");
    }
}

void renderAttemptRequests(std::string& out, const sdk::Value& attempts) {
    std::int64_t n = 0;
    for (const sdk::Value& a : attempts.asArray()) {
        section(out, "API REQUEST " + std::to_string(++n));
        out += "Timestamp: " + str(a, "timestamp") + "\n";
        out += "Upstream URL: " + (str(a, "url").empty() ? std::string("<unknown>") : str(a, "url")) + "\n";
        out += "HTTP Method: " + str(a, "method") + "\n";
        if (const sdk::Value* auth = a.find("auth"); auth && auth->isObject()) {
            out += "Auth: provider=" + str(*auth, "provider") + ", auth_id=" + str(*auth, "auth_id") +
                   ", label=" + str(*auth, "label") + ", type=" + str(*auth, "type");
            if (str(*auth, "type") == "api_key") out += " value=" + maskValue(str(*auth, "value"));
            out += "\n";
        }
        auto headers = headerPairs(a.find("headers"));
        std::sort(headers.begin(), headers.end());
        out += "\nHeaders:\n";
        if (headers.empty()) out += "<none>\n";
        for (const auto& [name, value] : headers) out += name + ": " + maskHeaderValue(name, value) + "\n";
        const std::string& body = str(a, "body");
        out += "\nBody:\n" + (body.empty() ? std::string("<empty>") : body) + "\n";
    }
}

void renderUpstreamErrors(std::string& out, const sdk::Value& record) {
    if (const sdk::Value* errors = record.find("upstream_errors"); errors && errors->isArray()) {
        for (const sdk::Value& e : errors->asArray()) {
            section(out, "API ERROR RESPONSE");
            out += "HTTP Status: " + std::to_string(integer(e, "status", 0)) + "\n" + str(e, "message") + "\n";
        }
    }
}

void renderAttemptResponses(std::string& out, const sdk::Value& attempts) {
    std::int64_t n = 0;
    for (const sdk::Value& a : attempts.asArray()) {
        ++n;
        const sdk::Value* r = a.find("response");
        if (!r || !r->isObject()) continue;
        section(out, "API RESPONSE " + std::to_string(n));
        out += "Timestamp: " + str(*r, "timestamp") + "\n\n";
        out += "Status: " + std::to_string(integer(*r, "status", 0)) + "\n";
        out += "Headers:\n";
        for (const auto& [name, value] : headerPairs(r->find("headers"))) {
            out += name + ": " + maskHeaderValue(name, value) + "\n";
        }
        out += "\nBody:\n" + str(*r, "body");
        if (const sdk::Value* errs = r->find("errors"); errs && errs->isArray()) {
            for (const sdk::Value& e : errs->asArray()) out += "\nError: " + e.stringOr("");
        }
    }
}

void renderClientResponse(std::string& out, const sdk::Value& record) {
    section(out, "RESPONSE");
    if (const sdk::Value* st = record.find("status"); st && st->isInt()) {
        out += "Status: " + std::to_string(st->asInt()) + "\n";
    }
    for (const auto& [name, value] : headerPairs(record.find("response_headers"))) {
        out += name + ": " + value + "\n";  // downstream response headers are not masked
    }
    const std::string& body = str(record, "response_body");
    if (body.empty() || body.front() != '\n') out += "\n";
    out += body;
    out += "\n";
}

}  // namespace

std::string renderRequestLog(const sdk::Value& record, std::string_view version, bool full) {
    std::string out;
    const sdk::Value* attempts = record.find("attempts");
    const bool haveAttempts = full && attempts && attempts->isArray() && attempts->size() > 0;
    const bool websocket = str(record, "downstream_transport") == "websocket";
    renderRequestInfo(out, record, version, haveAttempts);
    renderClientRequest(out, record, websocket);
    if (haveAttempts) renderAttemptRequests(out, *attempts);
    renderUpstreamErrors(out, record);
    if (haveAttempts) renderAttemptResponses(out, *attempts);
    if (!websocket) renderClientResponse(out, record);
    return out;
}

}  // namespace cpa::logs
