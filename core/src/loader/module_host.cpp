#include "loader/module_host.hpp"

#include "runtime/logger.hpp"

#include <algorithm>
#include <exception>
#include <set>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace cpa::core {

namespace {

namespace fs = std::filesystem;

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += sep;
        out += p;
    }
    return out;
}

// The `*.so` regular files (or links to them) of `dir`, by file name.
std::vector<fs::path> sharedObjects(const fs::path& dir) {
    std::error_code ec;
    const auto status = fs::status(dir, ec);
    if (ec || !fs::exists(status)) {
        throw PluginError("modules directory '" + dir.string() + "' does not exist" +
                          (ec && ec != std::errc::no_such_file_or_directory ? ": " + ec.message() : ""));
    }
    if (!fs::is_directory(status)) throw PluginError("modules directory '" + dir.string() + "' is not a directory");

    std::vector<fs::path> files;
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const fs::path& p = it->path();
        std::error_code fileEc;
        if (p.extension() == ".so" && fs::is_regular_file(p, fileEc)) files.push_back(p);
    }
    if (ec) throw PluginError("cannot read modules directory '" + dir.string() + "': " + ec.message());
    std::sort(files.begin(), files.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
    return files;
}

template <class Fn>
std::string failureOf(Fn&& fn) {
    try {
        fn();
        return {};
    } catch (const std::exception& e) {
        // Copied here: the exception may come from the plugin's library.
        std::string what = e.what();
        return what.empty() ? std::string("(empty message)") : what;
    } catch (...) {
        return "unknown exception";
    }
}

}  // namespace

ModuleHost::ModuleHost(std::shared_ptr<sdk::Logger> logger, PluginLoader::Expectations expected)
    : logger_(logger ? std::move(logger) : makeLogger("cpa.core")), loader_(std::move(expected)) {}

ModuleHost::~ModuleHost() { unloadAll(); }

std::string ModuleHost::describe(const Entry& e) {
    return "module '" + e.plugin->name() + "' ('" + e.plugin->file().string() + "')";
}

ModuleInfo ModuleHost::infoOf(const LoadedPlugin& p) const {
    return {p.name(), p.version(), p.file().string()};
}

void ModuleHost::load(const std::vector<fs::path>& modulesDirs,
                      const std::optional<std::vector<std::string>>& enabled) {
    if (loaded_) throw std::logic_error("ModuleHost::load called twice");
    loaded_ = true;
    try {
        for (const fs::path& dir : modulesDirs) {
            for (const auto& file : sharedObjects(dir)) {
                if (PluginLoader::inspect(file) != PluginFileKind::Plugin) {
                    logger_->warning("skipping '" + file.string() + "': not a cpa plugin (no descriptor)");
                    continue;
                }
                loader_.load(file);  // refuses a name already loaded, naming both files
            }
        }
        createModules(enabled, modulesDirs);
    } catch (...) {
        unloadAll();
        throw;
    }
}

void ModuleHost::createModules(const std::optional<std::vector<std::string>>& enabled,
                               const std::vector<fs::path>& modulesDirs) {
    std::set<std::string> wanted;
    if (enabled) {
        wanted.insert(enabled->begin(), enabled->end());
        std::vector<std::string> missing;
        for (const auto& name : *enabled) {
            const bool found = std::any_of(loader_.loaded().begin(), loader_.loaded().end(),
                                           [&](const auto& p) { return p->name() == name; });
            if (!found && std::find(missing.begin(), missing.end(), name) == missing.end()) missing.push_back(name);
        }
        if (!missing.empty()) {
            std::vector<std::string> dirs;
            for (const fs::path& d : modulesDirs) dirs.push_back(d.string());
            const std::string dirList = join(dirs, ", ");
            std::vector<std::string> messages;
            for (const auto& name : missing) {
                messages.push_back("module '" + name +
                                   "' is listed in config.yaml 'modules' but no such module was found in " +
                                   dirList);
            }
            throw PluginError(join(messages, "; "));
        }
        // Not enabled: checked, now closed again before any module exists.
        std::vector<const LoadedPlugin*> unused;
        for (const auto& p : loader_.loaded()) {
            if (wanted.count(p->name()) == 0) unused.push_back(p.get());
        }
        for (const auto* p : unused) {
            logger_->info("module '" + p->name() + "' ('" + p->file().string() +
                          "') is not listed in config.yaml 'modules'; not loaded");
            loader_.unload(*p);
        }
    }

    modules_.reserve(loader_.loaded().size());
    for (const auto& p : loader_.loaded()) {
        modules_.push_back(Entry{p.get(), p->create(), nullptr});
        logger_->info("loaded module '" + p->name() + "' " + p->version() + " from '" + p->file().string() + "'");
    }
}

void ModuleHost::configureAll(const ContextFactory& contextFactory) {
    if (!contextFactory) throw std::invalid_argument("ModuleHost::configureAll needs a context factory");
    std::vector<std::string> errors;
    for (auto& e : modules_) {
        std::string error = failureOf([&] {
            if (!e.context) {
                e.context = contextFactory(infoOf(*e.plugin));
                if (!e.context) throw std::logic_error("no module context was provided");
            }
            e.module->configure(*e.context);
        });
        if (!error.empty()) errors.push_back(describe(e) + ": " + error);
    }
    if (!errors.empty()) {
        throw PluginError("module configuration failed: " + join(errors, "; "));
    }
}

void ModuleHost::registerRoutes(sdk::RouteRegistry& routes) {
    for (auto& e : modules_) {
        const std::string error = failureOf([&] { e.module->registerRoutes(routes); });
        if (!error.empty()) throw PluginError(describe(e) + " failed to register routes: " + error);
    }
}

void ModuleHost::startAll() {
    for (auto& e : modules_) {
        if (e.started) continue;
        const std::string error = failureOf([&] { e.module->start(); });
        if (!error.empty()) {
            stopAll();
            throw PluginError(describe(e) + " failed to start: " + error);
        }
        e.started = true;
    }
}

void ModuleHost::stopAll() noexcept {
    for (auto it = modules_.rbegin(); it != modules_.rend(); ++it) {
        if (!it->started) continue;
        it->started = false;
        try {
            it->module->stop();
        } catch (...) {
            // stop() is noexcept in the SDK; this only guards non-conforming builds.
            logger_->error(describe(*it) + " threw from stop()");
        }
    }
}

void ModuleHost::destroyAll() noexcept {
    stopAll();
    for (auto it = modules_.rbegin(); it != modules_.rend(); ++it) {
        it->plugin->destroy(std::exchange(it->module, nullptr));
    }
    // Contexts outlive their modules: a destructor may still log.
    for (auto it = modules_.rbegin(); it != modules_.rend(); ++it) it->context.reset();
    modules_.clear();
}

void ModuleHost::unloadAll() noexcept {
    destroyAll();
    loader_.unloadAll();
}

std::vector<ModuleInfo> ModuleHost::infos() const {
    std::vector<ModuleInfo> out;
    out.reserve(modules_.size());
    for (const auto& e : modules_) out.push_back(infoOf(*e.plugin));
    return out;
}

}  // namespace cpa::core
