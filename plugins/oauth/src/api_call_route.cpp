#include "api_call_route.hpp"

#include "api_call_refresh.hpp"
#include "api_call_token.hpp"
#include "auth_dir.hpp"
#include "tokens/refresh_call.hpp"
#include "time_values.hpp"
#include "upstream_client.hpp"

#include <cpa/sdk/body.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/text.hpp>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <functional>

namespace cpa::oauth {

namespace {

constexpr std::size_t kMaxBody = 32u << 20;  // 32 MiB (api-call.md §5 recommendation)

[[noreturn]] void bad(const char* message) { throw sdk::HttpError(400, message); }

bool isToken(const std::string& s) {
    static const std::string_view extra = "!#$%&'*+-.^_`|~";
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || extra.find(static_cast<char>(c)) != std::string_view::npos;
    });
}

// Member of the bound body: case-insensitive name, null = absent, a wrong type fails the bind.
const sdk::Value* field(const sdk::Value& body, std::string_view name, sdk::Value::Type type) {
    const sdk::Value* v = sdk::boundMember(body, name);
    if (v && v->type() != type) bad("invalid body");
    return v;
}

std::string replaceAll(std::string s, std::string_view from, const std::string& to) {
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
        s.replace(pos, from.size(), to);
    return s;
}

/// $TOKEN$ for a credential: Claude and Codex files through the token service
/// (the same refresh as the data plane's); Antigravity files too when their
/// token needs a refresh (persisted, so under the same locks); the others as
/// api-call.md §3.1.
std::string callToken(const CallCredential& cred, TokenService& tokens, const sdk::SnapshotPtr& snap,
                      const std::optional<ProxySpec>& proxy) {
    if (cred.fromFile && (cred.provider == "claude" || cred.provider == "codex")) {
        const sdk::TokenGrant grant = tokens.token(cred.fileName, std::chrono::seconds(60));
        if (grant.ok) return grant.accessToken;
        // No refresh possible: the stored token, as the original sends it (none → "auth token not found").
        return resolveToken(cred, nowNs()).token;
    }
    TokenResult token = resolveToken(cred, nowNs());
    if (token.needsRefresh && cred.fromFile && cred.provider == "antigravity") {
        // Persisted like the data plane's refresh, so under the same flight
        // lock and cross-instance guard (docs/shared-store.md).
        const sdk::TokenGrant grant = tokens.tokenIgnoringBackoff(cred.fileName, std::chrono::seconds(60));
        if (!grant.ok || grant.accessToken.empty()) bad("auth token refresh failed");
        return grant.accessToken;
    }
    if (token.needsRefresh) {
        token.token = refreshGeminiCliToken(cred, *snap, proxy);
        if (token.token.empty()) bad("auth token refresh failed");
    }
    return token.token;
}

/// The request body's fields (api-call.md §2), checked in the original's order.
struct CallBody {
    std::string authIndex, method, url;
    const sdk::Value* header = nullptr;  ///< object of strings, or null
    const sdk::Value* data = nullptr;    ///< string, or null
};

CallBody parseCallBody(const sdk::Value& body) {
    CallBody b;
    // auth_index / authIndex / AuthIndex are distinct members here (exact case).
    for (const char* k : {"auth_index", "authIndex", "AuthIndex"}) {
        const sdk::Value* v = body.find(k);
        if (v && !v->isNull() && !v->isString()) bad("invalid body");
        if (b.authIndex.empty() && v && v->isString()) b.authIndex = sdk::trimAscii(v->asString());
    }
    const sdk::Value* methodV = field(body, "method", sdk::Value::Type::String);
    const sdk::Value* urlV = field(body, "url", sdk::Value::Type::String);
    b.header = field(body, "header", sdk::Value::Type::Object);
    b.data = field(body, "data", sdk::Value::Type::String);
    if (b.header) {
        for (const auto& [k, v] : b.header->asObject()) {
            if (!v.isString()) bad("invalid body");
        }
    }
    b.method = methodV ? sdk::trimAscii(methodV->asString()) : "";
    std::transform(b.method.begin(), b.method.end(), b.method.begin(), [](unsigned char c) { return std::toupper(c); });
    if (b.method.empty()) bad("missing method");
    b.url = urlV ? sdk::trimAscii(urlV->asString()) : "";
    if (b.url.empty()) bad("missing url");
    try {
        Poco::URI uri(b.url);
        if (uri.getScheme().empty() || uri.getHost().empty()) bad("invalid url");
    } catch (const Poco::Exception&) {
        bad("invalid url");
    }
    return b;
}

/// The caller's headers with $TOKEN$ replaced by the credential's token (resolved once,
/// on first use); `Host` becomes the host override; later duplicates replace earlier ones.
void setCallHeaders(OutboundRequest& out, const sdk::Value& header, const std::function<std::string()>& token,
                    bool haveCredential) {
    bool resolved = false;
    std::string resolvedToken;
    for (const auto& [k, v] : header.asObject()) {
        std::string value = v.asString();
        if (value.find("$TOKEN$") != std::string::npos) {
            if (!resolved) {
                if (haveCredential) resolvedToken = token();
                resolved = true;
            }
            if (haveCredential && resolvedToken.empty()) bad("auth token not found");
            if (!resolvedToken.empty()) value = replaceAll(value, "$TOKEN$", resolvedToken);
        }
        if (sdk::iequals(k, "host")) {
            out.hostOverride = sdk::trimAscii(value);
            continue;
        }
        const std::string name = canonicalHeaderName(k);
        std::erase_if(out.headers, [&](const auto& h) { return h.first == name; });
        out.headers.emplace_back(name, value);
    }
}

/// Sends the request; a transport or read failure is the original's 502.
InboundResponse send(sdk::ModuleContext& ctx, const OutboundRequest& out, const std::optional<ProxySpec>& proxy) {
    if (!isToken(out.method)) bad("failed to build request");
    // The original's transport refuses such headers when sending: a 502.
    for (const auto& [k, v] : out.headers) {
        if (!isToken(k) || v.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
            throw sdk::HttpError(502, "request failed");
    }
    try {
        return performRequest(out, proxy, std::chrono::seconds(60), kMaxBody);
    } catch (const ReadError& e) {
        ctx.logger().debug(std::string("api-call: reading the response failed: ") + e.what());
        throw sdk::HttpError(502, "failed to read response");
    } catch (const std::exception& e) {
        ctx.logger().debug(std::string("api-call: request failed: ") + e.what());
        throw sdk::HttpError(502, "request failed");
    }
}

/// api-call.md §4: status, every header with all its values, the body as text.
sdk::Value responseJson(const InboundResponse& in) {
    sdk::Value headers = sdk::Value::object();
    for (const auto& [name, values] : in.headers) {
        sdk::Value arr = sdk::Value::array();
        for (const std::string& v : values) arr.push(v);
        headers.set(name, std::move(arr));
    }
    return sdk::Value::object({{"status_code", in.status}, {"header", std::move(headers)}, {"body", in.body}});
}

void handle(sdk::ModuleContext& ctx, FileCredentialStore& store, TokenService& tokens,
            const sdk::CredentialSources* sources, sdk::Request& req, sdk::Response& res) {
    std::optional<sdk::Value> body = sdk::boundObject(req.body());
    if (!body) bad("invalid body");
    const CallBody call = parseCallBody(*body);

    const sdk::SnapshotPtr snap = ctx.config().snapshot();
    const sdk::CredentialSetPtr contributed = sources ? sources->snapshot() : std::make_shared<const sdk::CredentialSet>();
    const std::optional<CallCredential> cred = findCallCredential(store, *contributed, call.authIndex);

    std::vector<std::string> candidates;
    if (cred) candidates.push_back(cred->ownProxy);
    candidates.push_back(snap->getString("proxy-url", ""));
    const std::optional<ProxySpec> proxy = chooseProxy(candidates);

    OutboundRequest out;
    out.method = call.method;
    out.url = call.url;
    if (call.header)
        setCallHeaders(out, *call.header, [&] { return callToken(*cred, tokens, snap, proxy); }, cred.has_value());
    if (call.data) out.body = call.data->asString();
    res.json(200, responseJson(send(ctx, out, proxy)));
}

}  // namespace

void registerApiCallRoute(sdk::RouteRegistry& routes, sdk::ModuleContext& ctx,
                          std::shared_ptr<FileCredentialStore> store, std::shared_ptr<TokenService> tokens) {
    sdk::ModuleContext* c = &ctx;
    std::shared_ptr<sdk::CredentialSources> sources = ctx.services().get(sdk::kCredentialSourcesService);
    routes.route(sdk::Method::Post, std::string(sdk::kManagementBase) + "/api-call", sdk::Access::Management,
                 [c, store, tokens, sources](sdk::Request& req, sdk::Response& res) {
                     handle(*c, *store, *tokens, sources.get(), req, res);
                 });
}

}  // namespace cpa::oauth
