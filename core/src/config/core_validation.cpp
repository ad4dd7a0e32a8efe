#include "config/core_validation.hpp"

#include "config/config_parse.hpp"
#include "config/key_suggestion.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <map>
#include <set>
#include <stdexcept>

namespace cpa::core {
namespace {

using T = sdk::ConfigType;
constexpr std::int64_t kAny = std::numeric_limits<std::int64_t>::max();

int lineIn(const KeyLines* lines, const std::string& path) {
    if (!lines) return 0;
    const auto it = lines->find(path);
    return it == lines->end() ? 0 : it->second;
}

std::string linePrefix(int line) { return line > 0 ? "line " + std::to_string(line) + ": " : std::string(); }

// "; did you mean 'x'?" when one of `known` (direct names only) is a likely typo target.
template <class Set>
std::string suggestion(const std::string& word, const Set& known) {
    std::vector<std::string> names;
    for (const auto& k : known)
        if (std::string_view(k).find('.') == std::string_view::npos) names.emplace_back(k);
    const auto best = closestKey(word, names);
    return best ? "; did you mean '" + *best + "'?" : std::string();
}

}  // namespace

const sdk::ConfigDeclaration& coreConfigDeclaration() {
    // Parents come before their members so a wrong parent type is reported first.
    static const sdk::ConfigDeclaration kCore{
        "core",
        {
            {"host", T::String},
            {"port", T::Int, 0, 65535},
            {"tls", T::Mapping},
            {"tls.enable", T::Bool},
            {"tls.cert", T::String},
            {"tls.key", T::String},
            {"auth-dir", T::String},
            {"remote-management", T::Mapping},
            {"remote-management.allow-remote", T::Bool},
            {"remote-management.secret-key", T::String},
            {"remote-management.disable-control-panel", T::Bool},
            {"remote-management.disable-auto-update-panel", T::Bool},
            {"remote-management.panel-github-repository", T::String},
            {"remote-management.panel-sha256", T::String},  // (cpa) pin of the fetched web panel
            {"debug", T::Bool},
            {"log-format", T::String},  // "json", anything else: text
            {"api-keys", T::StringList},
            {"modules", T::StringList},
            {"modules-dir", T::StringOrList},  // one directory, "a:b", or a list
            {"logs-dir", T::String},
            {"data-dir", T::String},
            {"trusted-proxies", T::StringList},
            {"http-server", T::Mapping},
            {"http-server.max-threads", T::Int, 1, kAny},
            {"http-server.max-queued", T::Int, 1, kAny},
            {"http-server.keep-alive-timeout-seconds", T::Int, 1, kAny},
            {"http-server.header-timeout-seconds", T::Int, 1, kAny},
            {"http-server.max-connections-per-ip", T::Int, 0, kAny},
            {"http-server.max-request-body-mb", T::Int, 1, kAny},
            {"http-server.max-management-body-kb", T::Int, 1, kAny},
            {"http-server.shutdown-drain-seconds", T::Int, 0, kAny},
            // Read from the local (bootstrap) file only; see config_store_factory.
            {"store", T::Mapping},
            {"store.type", T::String},  // file (default) | postgres
            {"store.dsn", T::String},   // libpq connection string; env CPA_STORE_DSN overrides
        },
        {}};
    return kCore;
}

bool isIpOrCidr(const std::string& s) {
    const auto slash = s.find('/');
    const std::string addr = s.substr(0, slash);
    unsigned char buf[16];
    int maxBits = 0;
    if (::inet_pton(AF_INET, addr.c_str(), buf) == 1) {
        maxBits = 32;
    } else if (::inet_pton(AF_INET6, addr.c_str(), buf) == 1) {
        maxBits = 128;
    } else {
        return false;
    }
    if (slash == std::string::npos) return true;
    const std::string_view bits = std::string_view(s).substr(slash + 1);
    if (bits.empty() || bits.size() > 3) return false;
    int n = -1;
    auto [ptr, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), n);
    return ec == std::errc() && ptr == bits.data() + bits.size() && n >= 0 && n <= maxBits;
}

void validateCoreConfig(const sdk::Value& root, const KeyLines* lines) {
    if (!root.isObject()) throw ConfigTextError("the top level of the config must be a mapping");
    try {
        sdk::checkConfigKeys(root, coreConfigDeclaration().keys,
                             [lines](const std::string& path) { return lineIn(lines, path); });
    } catch (const std::invalid_argument& e) {
        throw ConfigTextError(e.what());
    }
    const sdk::Value* proxies = root.find("trusted-proxies");
    if (!proxies || !proxies->isArray()) return;
    std::size_t i = 0;
    for (const auto& item : proxies->asArray()) {
        const std::string itemPath = "trusted-proxies[" + std::to_string(i++) + "]";
        if (!item.isString() || !isIpOrCidr(item.asString())) {
            throw ConfigTextError(linePrefix(lineIn(lines, itemPath)) + itemPath + ": not an IP address or CIDR range");
        }
    }
}

std::vector<std::string> unknownConfigKeys(const sdk::Value& root, const KeyLines& lines,
                                           const std::vector<sdk::ConfigDeclaration>& declarations) {
    std::set<std::string, std::less<>> topLevel;
    // Section → its declared members and the owners that declared it a Mapping.
    std::map<std::string, std::set<std::string, std::less<>>, std::less<>> members;
    std::map<std::string, std::string, std::less<>> sectionOwner;
    for (const sdk::ConfigDeclaration& d : declarations) {
        for (const sdk::ConfigKey& k : d.keys) {
            const auto dot = k.path.find('.');
            topLevel.insert(k.path.substr(0, dot));
            if (dot != std::string::npos) members[k.path.substr(0, dot)].insert(k.path.substr(dot + 1));
            if (dot == std::string::npos && k.type == T::Mapping) sectionOwner.emplace(k.path, d.owner);
        }
    }
    std::vector<std::string> out;
    if (!root.isObject()) return out;
    for (const auto& [key, value] : root.asObject()) {
        if (topLevel.count(key) == 0) {
            out.push_back(linePrefix(lineIn(&lines, key)) + "unknown key '" + key +
                          "' (declared by neither the core nor a loaded module)" + suggestion(key, topLevel));
            continue;
        }
        const auto owner = sectionOwner.find(key);
        const auto known = members.find(key);
        if (owner == sectionOwner.end() || known == members.end() || !value.isObject()) continue;
        for (const auto& [member, unused] : value.asObject()) {
            (void)unused;
            if (known->second.count(member)) continue;
            const std::string path = key + "." + member;
            out.push_back(linePrefix(lineIn(&lines, path)) + "unknown key '" + path + "' (section '" + key + "' of " +
                          owner->second + ")" + suggestion(member, known->second));
        }
    }
    return out;
}

}  // namespace cpa::core
