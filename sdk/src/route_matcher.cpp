#include <cpa/sdk/route_matcher.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>

namespace cpa::sdk {

namespace {

constexpr std::size_t kMethods = 7;

enum class SegKind { Static, Param, CatchAll };

struct PatternSeg {
    SegKind kind;
    std::string text;  // static text or parameter name
};

std::size_t methodIndex(Method m) noexcept { return static_cast<std::size_t>(m); }

bool validParamName(std::string_view name) {
    if (name.empty()) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '-';
    });
}

[[noreturn]] void malformed(std::string_view pattern, const std::string& why) {
    throw std::logic_error("malformed route pattern \"" + std::string(pattern) + "\": " + why);
}

std::vector<PatternSeg> parsePattern(std::string_view pattern) {
    if (pattern.empty() || pattern.front() != '/') malformed(pattern, "must start with '/'");
    if (pattern.find_first_of("?#") != std::string_view::npos) malformed(pattern, "must not contain '?' or '#'");
    std::vector<PatternSeg> segs;
    if (pattern == "/") return segs;
    std::size_t pos = 1;
    while (true) {
        const std::size_t slash = pattern.find('/', pos);
        const std::string seg(pattern.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos));
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
        if (slash == std::string_view::npos) break;
        pos = slash + 1;
    }
    return segs;
}

// A segment trie: one node per pattern prefix, route indexes per method at
// the node where a pattern ends.
struct Node {
    std::map<std::string, std::unique_ptr<Node>, std::less<>> statics;
    std::unique_ptr<Node> param;
    std::unique_ptr<Node> catchAll;
    std::array<std::size_t, kMethods> routes;

    Node() { routes.fill(RouteMatcher::npos); }
    bool terminal() const {
        return std::any_of(routes.begin(), routes.end(), [](std::size_t r) { return r != RouteMatcher::npos; });
    }
};

// Depth first in precedence order (static, `:name`, `*name`), backtracking.
const Node* find(const Node& node, const std::vector<std::string_view>& segs, std::size_t i, std::size_t mi,
                 const Node** anyTerminal, std::vector<std::string_view>& values) {
    if (i == segs.size()) {
        if (node.routes[mi] != RouteMatcher::npos) return &node;
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
            if (node.catchAll->routes[mi] != RouteMatcher::npos) {
                values.push_back(rest);
                return node.catchAll.get();
            }
            if (*anyTerminal == nullptr && node.catchAll->terminal()) *anyTerminal = node.catchAll.get();
        }
    }
    return nullptr;
}

}  // namespace

struct RouteMatcher::Impl {
    Node root;
    struct Entry {
        std::string pattern;
        std::vector<std::string> paramNames;
    };
    std::vector<Entry> entries;
};

RouteMatcher::RouteMatcher() : impl_(std::make_unique<Impl>()) {}
RouteMatcher::~RouteMatcher() = default;
RouteMatcher::RouteMatcher(RouteMatcher&&) noexcept = default;
RouteMatcher& RouteMatcher::operator=(RouteMatcher&&) noexcept = default;

std::size_t RouteMatcher::add(Method method, std::string_view pattern) {
    if (methodIndex(method) >= kMethods) throw std::logic_error("route " + std::string(pattern) + ": unknown method");
    const std::vector<PatternSeg> segs = parsePattern(pattern);
    Node* node = &impl_->root;
    std::vector<std::string> names;
    for (const PatternSeg& seg : segs) {
        std::unique_ptr<Node>* next = nullptr;
        switch (seg.kind) {
            case SegKind::Static: {
                auto it = node->statics.find(seg.text);
                if (it == node->statics.end()) it = node->statics.emplace(seg.text, nullptr).first;
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
    std::size_t& slot = node->routes[methodIndex(method)];
    if (slot != npos)
        throw std::logic_error("duplicate route " + std::string(methodName(method)) + " " + std::string(pattern) +
                               " (already registered as " + impl_->entries[slot].pattern + ")");
    impl_->entries.push_back(Impl::Entry{std::string(pattern), std::move(names)});
    slot = impl_->entries.size() - 1;
    return slot;
}

RouteMatcher::Result RouteMatcher::match(Method method, std::string_view path) const {
    Result result;
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
    const Node* node = find(impl_->root, segs, 0, methodIndex(method), &anyTerminal, values);
    if (node == nullptr) {
        result.miss = anyTerminal != nullptr ? Miss::MethodNotRegistered : Miss::PathUnknown;
        return result;
    }
    result.index = node->routes[methodIndex(method)];
    result.miss = Miss::None;
    const std::vector<std::string>& names = impl_->entries[result.index].paramNames;
    result.params.reserve(values.size());
    for (std::size_t k = 0; k < values.size() && k < names.size(); ++k)
        result.params.emplace_back(names[k], std::string(values[k]));
    return result;
}

std::size_t RouteMatcher::size() const noexcept { return impl_->entries.size(); }

const std::string& RouteMatcher::pattern(std::size_t index) const { return impl_->entries.at(index).pattern; }

const std::vector<std::string>& RouteMatcher::paramNames(std::size_t index) const {
    return impl_->entries.at(index).paramNames;
}

}  // namespace cpa::sdk
