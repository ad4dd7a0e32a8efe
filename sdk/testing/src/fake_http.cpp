#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fake_http.hpp>

#include <algorithm>
#include <stdexcept>

namespace cpa::sdk::testing {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// Percent-decoding; malformed escapes stay as written.
std::string percentDecode(std::string_view s, bool plusIsSpace) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            const int hi = hexValue(s[i + 1]), lo = hexValue(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += (plusIsSpace && s[i] == '+') ? ' ' : s[i];
    }
    return out;
}

std::optional<std::string> firstHeader(const std::vector<Header>& headers, std::string_view name) {
    for (const auto& [k, v] : headers) {
        if (equalsIgnoreCase(k, name)) return v;
    }
    return std::nullopt;
}

void removeHeaders(std::vector<Header>& headers, std::string_view name) {
    headers.erase(std::remove_if(headers.begin(), headers.end(),
                                 [&](const Header& h) { return equalsIgnoreCase(h.first, name); }),
                  headers.end());
}

}  // namespace

bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

// ---- FakeRequest ----

FakeRequest::FakeRequest(Method method, std::string_view target, std::string body)
    : method_(method), body_(std::move(body)) {
    setTarget(target);
}

FakeRequest& FakeRequest::setMethod(Method m) {
    method_ = m;
    return *this;
}

FakeRequest& FakeRequest::setTarget(std::string_view target) {
    const std::size_t q = target.find('?');
    path_ = percentDecode(target.substr(0, q), false);
    query_.clear();
    if (q == std::string_view::npos) return *this;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        if (!pair.empty()) {
            const std::size_t eq = pair.find('=');
            std::string name = percentDecode(pair.substr(0, eq), true);
            std::string value = eq == std::string_view::npos ? std::string() : percentDecode(pair.substr(eq + 1), true);
            query_.emplace_back(std::move(name), std::move(value));
        }
        if (amp == std::string_view::npos) break;
        rest = rest.substr(amp + 1);
    }
    return *this;
}

FakeRequest& FakeRequest::setPath(std::string path) {
    path_ = std::move(path);
    return *this;
}

FakeRequest& FakeRequest::setParam(std::string name, std::string value) {
    for (auto& [k, v] : params_) {
        if (k == name) {
            v = std::move(value);
            return *this;
        }
    }
    params_.emplace_back(std::move(name), std::move(value));
    return *this;
}

FakeRequest& FakeRequest::clearParams() {
    params_.clear();
    return *this;
}

FakeRequest& FakeRequest::addQuery(std::string name, std::string value) {
    query_.emplace_back(std::move(name), std::move(value));
    return *this;
}

FakeRequest& FakeRequest::setHeader(std::string name, std::string value) {
    removeHeaders(headers_, name);
    headers_.emplace_back(std::move(name), std::move(value));
    return *this;
}

FakeRequest& FakeRequest::addHeader(std::string name, std::string value) {
    headers_.emplace_back(std::move(name), std::move(value));
    return *this;
}

FakeRequest& FakeRequest::removeHeader(std::string_view name) {
    removeHeaders(headers_, name);
    return *this;
}

FakeRequest& FakeRequest::setBody(std::string body) {
    body_ = std::move(body);
    return *this;
}

FakeRequest& FakeRequest::setJsonBody(const Value& v) {
    body_ = toJson(v);
    return setHeader("Content-Type", "application/json");
}

FakeRequest& FakeRequest::setPeerAddress(std::string ip) {
    clientIp_ = ip;
    peer_ = std::move(ip);
    return *this;
}

FakeRequest& FakeRequest::setClientIp(std::string ip) {
    clientIp_ = std::move(ip);
    return *this;
}

FakeRequest& FakeRequest::setRequestId(std::string id) {
    requestId_ = std::move(id);
    return *this;
}

FakeRequest& FakeRequest::setAccess(Access a) {
    access_ = a;
    return *this;
}

FakeRequest& FakeRequest::setRoutePattern(std::string pattern) {
    routePattern_ = std::move(pattern);
    return *this;
}

std::string FakeRequest::param(std::string_view name) const {
    for (const auto& [k, v] : params_) {
        if (k == name) return v;
    }
    return {};
}

std::optional<std::string> FakeRequest::query(std::string_view name) const {
    for (const auto& [k, v] : query_) {
        if (k == name) return v;
    }
    return std::nullopt;
}

std::optional<std::string> FakeRequest::header(std::string_view name) const { return firstHeader(headers_, name); }

void FakeRequest::setAttribute(std::string key, Value v) {
    for (auto& [k, value] : attributes_) {
        if (k == key) {
            value = std::move(v);
            return;
        }
    }
    attributes_.emplace_back(std::move(key), std::move(v));
}

const Value* FakeRequest::attribute(std::string_view key) const {
    for (const auto& [k, v] : attributes_) {
        if (k == key) return &v;
    }
    return nullptr;
}

// ---- FakeStreamWriter ----

bool FakeStreamWriter::write(std::string_view chunk) {
    if (!connected_) return false;
    data_.append(chunk);
    ++writes_;
    return true;
}

bool FakeStreamWriter::flush() {
    if (!connected_) return false;
    ++flushes_;
    return true;
}

// ---- FakeResponse ----

void FakeResponse::requireNotStreaming(const char* what) const {
    if (streaming_) throw std::logic_error(std::string("FakeResponse::") + what + " after stream()");
}

void FakeResponse::setStatus(int status) {
    requireNotStreaming("setStatus");
    status_ = status;
}

void FakeResponse::setHeader(std::string_view name, std::string_view value) {
    requireNotStreaming("setHeader");
    removeHeaders(headers_, name);
    headers_.emplace_back(std::string(name), std::string(value));
}

void FakeResponse::addHeader(std::string_view name, std::string_view value) {
    requireNotStreaming("addHeader");
    headers_.emplace_back(std::string(name), std::string(value));
}

std::optional<std::string> FakeResponse::header(std::string_view name) const { return firstHeader(headers_, name); }

void FakeResponse::setBody(std::string body, std::string_view contentType) {
    requireNotStreaming("setBody");
    body_ = std::move(body);
    if (!contentType.empty()) setHeader("Content-Type", contentType);
}

StreamWriter& FakeResponse::stream() {
    streaming_ = true;
    return writer_;
}

Value FakeResponse::bodyJson() const { return parseJson(body_); }

}  // namespace cpa::sdk::testing
