#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace cpa::core {

namespace {

enum class SegKind { Static, Param, CatchAll };

struct PatternSeg {
    SegKind kind;
    std::string text;  // static text or parameter name
};

std::size_t methodIndex(sdk::Method m) noexcept { return static_cast<std::size_t>(m); }

bool validParamName(std::string_view name) {
    if (name.empty()) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '-';
    });
}

[[noreturn]] void malformed(const std::string& pattern, const std::string& why) {
    throw std::logic_error("malformed route pattern \"" + pattern + "\": " + why);
}

std::vector<PatternSeg> parsePattern(const std::string& pattern) {
    if (pattern.empty() || pattern.front() != '/') malformed(pattern, "must start with '/'");
    if (pattern.find_first_of("?#") != std::string::npos) malformed(pattern, "must not contain '?' or '#'");
    std::vector<PatternSeg> segs;
    if (pattern == "/") return segs;
    std::size_t pos = 1;
    while (true) {
        const std::size_t slash = pattern.find('/', pos);
        const std::string seg = pattern.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
        if (seg.empty()) malformed(pattern, "empty segment");
        if (!segs.empty() && segs.back().kind == SegKind::CatchAll)
            malformed(pattern, "'*' must be the last segment");
        if (seg.front() == ':' || seg.front() == '*') {
            const std::string name = seg.substr(1);
            if (!validParamName(name)) malformed(pattern, "bad parameter name \"" + seg + "\"");
            for (const PatternSeg& s : segs)
                if (s.kind != SegKind::Static && s.text == name)
                    malformed(pattern, "duplicate parameter \"" + name + "\"");
            segs.push_back({seg.front() == ':' ? SegKind::Param : SegKind::CatchAll, name});
        } else {
            if (seg.find_first_of(":*") != std::string::npos)
                malformed(pattern, "':' or '*' inside a static segment \"" + seg + "\"");
            segs.push_back({SegKind::Static, seg});
        }
        if (slash == std::string::npos) break;
        pos = slash + 1;
    }
    return segs;
}

}  // namespace

struct Router::Node {
    std::map<std::string, std::unique_ptr<Node>, std::less<>> statics;
    std::unique_ptr<Node> param;
    std::unique_ptr<Node> catchAll;
    std::array<const Route*, kMethods> routes{};

    bool terminal() const {
        return std::any_of(routes.begin(), routes.end(), [](const Route* r) { return r != nullptr; });
    }
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

void Router::route(sdk::Method method, std::string pattern, sdk::Access access, sdk::Handler handler) {
    if (frozen_) throw std::logic_error("route " + pattern + " registered after the server started");
    if (!handler) throw std::logic_error("route " + pattern + " has no handler");
    if (methodIndex(method) >= kMethods) throw std::logic_error("route " + pattern + ": unknown method");
    const std::vector<PatternSeg> segs = parsePattern(pattern);

    Node* node = root_.get();
    std::vector<std::string> names;
    for (const PatternSeg& seg : segs) {
        std::unique_ptr<Node>* next = nullptr;
        switch (seg.kind) {
            case SegKind::Static: {
                auto it = node->statics.find(seg.text);
                if (it == node->statics.end()) it = node->statics.emplace(seg.text, std::make_unique<Node>()).first;
                next = &it->second;
                break;
            }
            case SegKind::Param:
                next = &node->param;
                names.push_back(seg.text);
                break;
            case SegKind::CatchAll:
                next = &node->catchAll;
                names.push_back(seg.text);
                break;
        }
        if (!*next) *next = std::make_unique<Node>();
        node = next->get();
    }
    const Route*& slot = node->routes[methodIndex(method)];
    if (slot != nullptr)
        throw std::logic_error("duplicate route " + std::string(sdk::methodName(method)) + " " + pattern +
                               " (already registered as " + slot->pattern + ")");
    auto r = std::make_unique<Route>(Route{method, std::move(pattern), access, std::move(handler), 0, std::move(names)});
    slot = r.get();
    routes_.push_back(std::move(r));
}

void Router::setBodyLimit(sdk::Method method, const std::string& pattern, std::size_t maxBytes) {
    if (frozen_) throw std::logic_error("body limit of " + pattern + " set after the server started");
    for (const auto& r : routes_) {
        if (r->method == method && r->pattern == pattern) {
            r->maxBodyBytes = maxBytes;
            return;
        }
    }
    throw std::logic_error("body limit for an unregistered route " + pattern);
}

void Router::use(sdk::Phase phase, int order, std::shared_ptr<sdk::Middleware> middleware) {
    if (frozen_) throw std::logic_error("middleware registered after the server started");
    if (!middleware) throw std::logic_error("null middleware");
    auto& list = middleware_[phaseIndex(phase)];
    // upper_bound keeps registration order among equal orders.
    auto at = std::upper_bound(list.begin(), list.end(), order,
                               [](int o, const MiddlewareEntry& e) { return o < e.order; });
    list.insert(at, MiddlewareEntry{order, std::move(middleware)});
}

void Router::freeze() noexcept { frozen_ = true; }

const std::vector<MiddlewareEntry>& Router::middleware(sdk::Phase phase) const {
    return middleware_[phaseIndex(phase)];
}

std::size_t Router::phaseIndex(sdk::Phase phase) {
    switch (phase) {
        case sdk::Phase::BeforeAccess:
            return 0;
        case sdk::Phase::AfterAccess:
            return 1;
        case sdk::Phase::Unrouted:
            return 2;
    }
    throw std::logic_error("unknown middleware phase");
}

const Router::Node* Router::find(const Node& node, const std::vector<std::string_view>& segs, std::size_t i,
                                 std::size_t mi, const Node** anyTerminal,
                                 std::vector<std::string_view>& values) const {
    if (i == segs.size()) {
        if (node.routes[mi] != nullptr) return &node;
        if (*anyTerminal == nullptr && node.terminal()) *anyTerminal = &node;
        return nullptr;
    }
    const std::string_view seg = segs[i];
    if (auto it = node.statics.find(seg); it != node.statics.end()) {
        if (const Node* n = find(*it->second, segs, i + 1, mi, anyTerminal, values)) return n;
    }
    if (node.param && !seg.empty()) {
        values.push_back(seg);
        if (const Node* n = find(*node.param, segs, i + 1, mi, anyTerminal, values)) return n;
        values.pop_back();
    }
    if (node.catchAll) {
        // The rest of the path from this segment on (segments are views into one string).
        const std::string_view last = segs.back();
        const std::string_view rest(seg.data(), static_cast<std::size_t>(last.data() + last.size() - seg.data()));
        if (!rest.empty()) {
            if (node.catchAll->routes[mi] != nullptr) {
                values.push_back(rest);
                return node.catchAll.get();
            }
            if (*anyTerminal == nullptr && node.catchAll->terminal()) *anyTerminal = node.catchAll.get();
        }
    }
    return nullptr;
}

RouteMatch Router::match(sdk::Method method, std::string_view path) const {
    RouteMatch result;
    if (path.empty() || path.front() != '/' || methodIndex(method) >= kMethods) return result;
    std::vector<std::string_view> segs;
    if (path.size() > 1) {
        std::size_t pos = 1;
        while (true) {
            const std::size_t slash = path.find('/', pos);
            segs.push_back(path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos));
            if (slash == std::string_view::npos) break;
            pos = slash + 1;
        }
    }
    std::vector<std::string_view> values;
    const Node* anyTerminal = nullptr;
    const Node* node = find(*root_, segs, 0, methodIndex(method), &anyTerminal, values);
    if (node == nullptr) {
        result.miss = anyTerminal != nullptr ? RouteMatch::Miss::MethodNotRegistered : RouteMatch::Miss::PathUnknown;
        return result;
    }
    result.route = node->routes[methodIndex(method)];
    result.miss = RouteMatch::Miss::None;
    result.params.reserve(values.size());
    for (std::size_t k = 0; k < values.size() && k < result.route->paramNames.size(); ++k)
        result.params.emplace_back(result.route->paramNames[k], std::string(values[k]));
    return result;
}

bool parseMethod(std::string_view text, sdk::Method& out) noexcept {
    using M = sdk::Method;
    static constexpr std::pair<std::string_view, M> kTable[] = {
        {"GET", M::Get},     {"HEAD", M::Head},     {"POST", M::Post},       {"PUT", M::Put},
        {"PATCH", M::Patch}, {"DELETE", M::Delete}, {"OPTIONS", M::Options},
    };
    for (const auto& [name, m] : kTable) {
        if (name == text) {
            out = m;
            return true;
        }
    }
    return false;
}

}  // namespace cpa::core
