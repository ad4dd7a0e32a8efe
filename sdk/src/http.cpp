#include <cpa/sdk/http.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/text.hpp>

namespace cpa::sdk {

std::string_view methodName(Method m) {
    switch (m) {
    case Method::Get: return "GET";
    case Method::Head: return "HEAD";
    case Method::Post: return "POST";
    case Method::Put: return "PUT";
    case Method::Patch: return "PATCH";
    case Method::Delete: return "DELETE";
    case Method::Options: return "OPTIONS";
    }
    return "UNKNOWN";
}

std::string presentedManagementKey(const Request& req) {
    std::string key;
    if (auto auth = req.header("Authorization"); auth && !auth->empty()) {
        const auto space = auth->find(' ');
        if (space != std::string::npos && iequals(std::string_view(*auth).substr(0, space), "bearer")) {
            key = auth->substr(space + 1);
        } else {
            key = *auth;
        }
    }
    if (key.empty()) {
        if (auto mk = req.header("X-Management-Key")) key = *mk;
    }
    return key;
}

// The original (gin's c.JSON) sends compact JSON without a trailing newline.
void Response::json(int status, const Value& v) {
    std::string body = toJson(v);
    setStatus(status);
    setBody(std::move(body), "application/json; charset=utf-8");
}

void Response::text(int status, std::string body, std::string_view contentType) {
    setStatus(status);
    setBody(std::move(body), contentType);
}

// An empty body with an empty content type: implementations leave the
// Content-Type header as it is (none unless someone set one).
void Response::noContent(int status) {
    setStatus(status);
    setBody(std::string(), std::string_view());
}

}  // namespace cpa::sdk
