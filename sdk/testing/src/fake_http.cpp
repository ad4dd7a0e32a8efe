#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fake_http.hpp>
#include <cpa/sdk/text.hpp>
#include <cpa/sdk/url_encoding.hpp>

#include <algorithm>
#include <stdexcept>

namespace cpa::sdk::testing {

namespace {

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

bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept { return iequals(a, b); }

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
    path_ = sdk::percentDecodeLenient(target.substr(0, q), false);
    query_.clear();
    if (q == std::string_view::npos) return *this;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        if (!pair.empty()) {
            const std::size_t eq = pair.find('=');
            std::string name = sdk::percentDecodeLenient(pair.substr(0, eq), true);
            std::string value = eq == std::string_view::npos ? std::string() : sdk::percentDecodeLenient(pair.substr(eq + 1), true);
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
