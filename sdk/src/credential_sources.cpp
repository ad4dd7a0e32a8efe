// The credential sources service the core provides, and the common entry reader.
#include <cpa/sdk/credential_sources.hpp>
#include <cpa/sdk/key_list_resource.hpp>
#include <cpa/sdk/text.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>

namespace cpa::sdk {

CredentialSources::~CredentialSources() = default;

namespace {

class CredentialSourcesImpl final : public CredentialSources,
                                    public std::enable_shared_from_this<CredentialSourcesImpl> {
public:
    CredentialSourcesImpl() : snapshot_(std::make_shared<const CredentialSet>()) {}

    void publish(std::string_view source, CredentialSet credentials) override {
        std::lock_guard lock(mutex_);
        auto it = std::find_if(sources_.begin(), sources_.end(), [&](const auto& s) { return s.first == source; });
        if (it == sources_.end()) it = sources_.emplace(sources_.end(), std::string(source), CredentialSet{});
        it->second = std::move(credentials);
        auto merged = std::make_shared<CredentialSet>();
        std::set<std::string_view> ids;
        for (const auto& [name, set] : sources_)
            for (const ContributedCredential& c : set)
                if (!c.id.empty() && ids.insert(c.id).second) merged->push_back(c);
        snapshot_.store(std::move(merged));
        // Listeners run under the lock: one publication at a time, in order,
        // and a released subscription never runs again (see subscribe).
        std::vector<std::uint64_t> keys;
        for (const auto& l : listeners_) keys.push_back(l.first);
        for (const std::uint64_t key : keys) {
            // Looked up again: an earlier listener may have released this one.
            const auto l = std::find_if(listeners_.begin(), listeners_.end(), [key](const auto& x) { return x.first == key; });
            if (l == listeners_.end()) continue;
            const std::function<void()> listener = l->second;
            listener();
        }
    }

    CredentialSetPtr snapshot() const override { return snapshot_.load(); }

    Subscription subscribe(std::function<void()> listener) override {
        std::lock_guard lock(mutex_);
        const std::uint64_t key = nextKey_++;
        listeners_.emplace_back(key, std::move(listener));
        return std::make_shared<Handle>(weak_from_this(), key);
    }

private:
    struct Handle {
        Handle(std::weak_ptr<CredentialSourcesImpl> s, std::uint64_t k) : self(std::move(s)), key(k) {}
        ~Handle() {
            if (auto s = self.lock()) s->unsubscribe(key);
        }
        std::weak_ptr<CredentialSourcesImpl> self;
        std::uint64_t key;
    };

    void unsubscribe(std::uint64_t key) {
        std::lock_guard lock(mutex_);  // waits for a publication in progress
        std::erase_if(listeners_, [key](const auto& l) { return l.first == key; });
    }

    // Recursive: a listener may publish or release its own subscription.
    std::recursive_mutex mutex_;
    std::vector<std::pair<std::string, CredentialSet>> sources_;
    std::vector<std::pair<std::uint64_t, std::function<void()>>> listeners_;
    std::uint64_t nextKey_{};
    std::atomic<CredentialSetPtr> snapshot_;
};

std::string stringMember(const Value& entry, std::string_view key) {
    const Value* v = entry.isObject() ? entry.find(key) : nullptr;
    return v ? trimAscii(v->stringOr("")) : std::string();
}

int intMember(const Value& entry, std::string_view key) {
    const Value* v = entry.isObject() ? entry.find(key) : nullptr;
    if (!v) return 0;
    if (v->isInt()) return static_cast<int>(v->asInt());
    if (v->isString()) {
        try {
            return std::stoi(trimAscii(v->asString()));
        } catch (...) {
            return 0;
        }
    }
    return 0;
}

}  // namespace

std::shared_ptr<CredentialSources> makeCredentialSources() { return std::make_shared<CredentialSourcesImpl>(); }

void readCommonEntryFields(ContributedCredential& c, const Value& entry, bool requireAlias) {
    if (!entry.isObject()) return;
    c.headers.clear();
    if (const Value* h = entry.find("headers"); h && h->isObject()) {
        for (const auto& [k, v] : h->asObject()) {
            std::string name = trimAscii(k), value = trimAscii(v.stringOr(""));
            if (!name.empty() && !value.empty()) c.headers.emplace_back(std::move(name), std::move(value));
        }
    }
    c.models.clear();
    if (const Value* list = entry.find("models"); list && list->isArray()) {
        for (const Value& m : list->asArray()) {
            ModelAlias alias;
            if (m.isString()) alias.name = trimAscii(m.asString());
            else if (m.isObject()) alias = {stringMember(m, "name"), stringMember(m, "alias")};
            if (requireAlias && (alias.name.empty() || alias.alias.empty())) continue;
            if (alias.name.empty() && alias.alias.empty()) continue;
            c.models.push_back(std::move(alias));
        }
    }
    c.excludedModels.clear();
    if (const Value* list = entry.find("excluded-models"); list && list->isArray()) {
        std::set<std::string> seen;
        for (const Value& v : list->asArray()) {
            std::string p = lowerAscii(trimAscii(v.stringOr("")));
            if (!p.empty() && seen.insert(p).second) c.excludedModels.push_back(std::move(p));
        }
    }
    c.priority = intMember(entry, "priority");
    c.prefix = normalizeModelPrefix(stringMember(entry, "prefix"));
    c.proxyUrl = stringMember(entry, "proxy-url");
}

}  // namespace cpa::sdk
