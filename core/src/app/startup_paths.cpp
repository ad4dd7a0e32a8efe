#include "app/startup_paths.hpp"

#include <cpa/sdk/text.hpp>

#include <algorithm>
#include <system_error>

#ifndef CPA_INSTALL_MODULES_RELDIR
#define CPA_INSTALL_MODULES_RELDIR "lib/cpa/modules"
#endif

namespace cpa::core {
namespace {

namespace fs = std::filesystem;

fs::path absoluteFrom(const fs::path& base, const fs::path& p) {
    return (p.is_absolute() ? p : base / p).lexically_normal();
}

// Trailing separators are dropped so "logs/" and "logs" compare equal.
std::string clean(const fs::path& p) {
    std::string s = p.lexically_normal().string();
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return s;
}

bool isDir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}

fs::path defaultModulesDir(const fs::path& binaryDir) {
    const fs::path buildShape = (binaryDir / "../lib/cpa/modules").lexically_normal();
    const fs::path rel(CPA_INSTALL_MODULES_RELDIR);
    // The install tree may use a multiarch libdir (lib/x86_64-linux-gnu/…).
    const fs::path installShape = rel.is_absolute() ? rel : (binaryDir / ".." / rel).lexically_normal();
    if (!isDir(buildShape) && isDir(installShape)) return installShape;
    return buildShape;
}

// "a:b" → {"a", "b"}; empty entries (e.g. "a::b") are dropped.
void appendSplit(const std::string& text, std::vector<std::string>& out) {
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t colon = std::min(text.find(':', start), text.size());
        std::string one = sdk::trimAscii(text.substr(start, colon - start));
        if (!one.empty()) out.push_back(std::move(one));
        start = colon + 1;
    }
}

}  // namespace

std::string expandHome(const std::string& path, const std::string& home) {
    if (path.empty() || path[0] != '~' || home.empty()) return path;
    if (path.size() == 1) return home;
    if (path[1] != '/' && path[1] != '\\') return path;  // "~user" is not ours to guess
    std::size_t i = 1;
    while (i < path.size() && (path[i] == '/' || path[i] == '\\')) ++i;
    std::string rest = path.substr(i);
    for (char& c : rest) {
        if (c == '\\') c = '/';
    }
    return (fs::path(home) / rest).string();
}

sdk::Paths resolvePaths(const sdk::ConfigSnapshot& snapshot, const PathInputs& in) {
    sdk::Paths p;
    const fs::path configFile = absoluteFrom(in.workingDir, in.configFile);
    p.configFile = clean(configFile);
    p.configDir = clean(configFile.parent_path());

    std::string auth = sdk::trimAscii(snapshot.getString("auth-dir", ""));
    if (auth.empty()) auth = "~/.cli-proxy-api";
    p.authDir = clean(absoluteFrom(in.workingDir, expandHome(auth, in.home)));

    const fs::path configDir(p.configDir);
    const std::string logs = sdk::trimAscii(snapshot.getString("logs-dir", ""));
    p.logDir = clean(logs.empty() ? configDir / "logs" : absoluteFrom(configDir, expandHome(logs, in.home)));
    const std::string data = sdk::trimAscii(snapshot.getString("data-dir", ""));
    p.dataDir = clean(data.empty() ? configDir / "data" : absoluteFrom(configDir, expandHome(data, in.home)));

    p.modulesDir = modulesDirs(snapshot, in).front();
    return p;
}

std::optional<std::vector<std::string>> enabledModules(const sdk::ConfigSnapshot& snap) {
    const sdk::Value* list = snap.find("modules");
    if (list == nullptr || list->isNull()) return std::nullopt;  // absent: all found
    std::vector<std::string> names;
    if (list->isArray()) {
        for (const sdk::Value& v : list->asArray()) {
            if (v.isString()) {
                names.push_back(v.asString());
            } else if (v.isInt()) {
                names.push_back(std::to_string(v.asInt()));
            }
        }
    }
    return names;
}

std::vector<std::string> modulesDirs(const sdk::ConfigSnapshot& snapshot, const PathInputs& in) {
    std::vector<std::string> given;
    fs::path base = in.workingDir;
    if (in.cliModulesDir) appendSplit(*in.cliModulesDir, given);
    if (given.empty()) {
        base = absoluteFrom(in.workingDir, in.configFile).parent_path();
        if (const sdk::Value* v = snapshot.find("modules-dir"); v && v->isArray()) {
            for (const sdk::Value& item : v->asArray())
                if (item.isString()) appendSplit(item.asString(), given);
        } else {
            appendSplit(snapshot.getString("modules-dir", ""), given);
        }
    }
    std::vector<std::string> dirs;
    for (const std::string& d : given) {
        std::string dir = clean(absoluteFrom(base, expandHome(d, in.home)));
        if (std::find(dirs.begin(), dirs.end(), dir) == dirs.end()) dirs.push_back(std::move(dir));
    }
    if (dirs.empty()) dirs.push_back(clean(defaultModulesDir(in.binaryDir)));
    return dirs;
}

}  // namespace cpa::core
