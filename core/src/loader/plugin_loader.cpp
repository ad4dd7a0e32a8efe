#include "loader/plugin_loader.hpp"

#include "loader/elf_reader.hpp"

#include <cpa/sdk/plugin.hpp>

// Boost 1.74 with BOOST_DLL_USE_STD_FS: library_info.hpp needs these first
// (architecture.md §7.8).
#include <fstream>
#include <string>
#include <vector>

#include <boost/dll/library_info.hpp>
#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cstddef>
#include <exception>
#include <system_error>
#include <utility>

namespace cpa::core {

namespace {

std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

std::string orNull(const char* s) { return s == nullptr ? std::string("(null)") : std::string(s); }

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

struct LoadedPlugin::Library {
    boost::dll::shared_library lib;
};

LoadedPlugin::LoadedPlugin(std::filesystem::path file, std::unique_ptr<Library> library,
                           const CpaPluginDescriptor* d)
    : file_(std::move(file)), library_(std::move(library)), descriptor_(d), name_(d->name),
      version_(d->version == nullptr ? "" : d->version) {}

LoadedPlugin::~LoadedPlugin() = default;

sdk::Module* LoadedPlugin::create() const {
    sdk::Module* module = nullptr;
    try {
        module = descriptor_->create == nullptr ? nullptr : descriptor_->create();
    } catch (const std::exception& e) {
        // The message is copied now, while the plugin's exception is alive.
        throw PluginError("plugin " + quoted(file_) + " (module '" + name_ + "'): create() failed: " + e.what());
    } catch (...) {
        throw PluginError("plugin " + quoted(file_) + " (module '" + name_ +
                          "'): create() failed with an unknown exception");
    }
    if (module == nullptr) {
        throw PluginError("plugin " + quoted(file_) + " (module '" + name_ + "'): create() returned null");
    }
    return module;
}

void LoadedPlugin::destroy(sdk::Module* module) const noexcept {
    if (module != nullptr && descriptor_->destroy != nullptr) descriptor_->destroy(module);
}

PluginLoader::Expectations PluginLoader::coreExpectations() {
    return {CPA_SDK_ABI_MAJOR, CPA_SDK_ABI_MINOR, CPA_SDK_BUILD_KEY};
}

PluginLoader::PluginLoader() : PluginLoader(coreExpectations()) {}

PluginLoader::PluginLoader(Expectations expected) : expected_(std::move(expected)) {}

PluginLoader::~PluginLoader() { unloadAll(); }

PluginFileKind PluginLoader::inspect(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        throw PluginError("plugin " + quoted(file) + " is not a readable regular file" +
                          (ec ? ": " + ec.message() : std::string()));
    }
    try {
        // Bounds-checked first: library_info must only see well-formed files.
        const ElfSymbolCheck elf =
            checkElfSymbol(file, CPA_SDK_STR(CPA_PLUGIN_SECTION), CPA_PLUGIN_SYMBOL);
        boost::dll::library_info info(file);
        const bool boostSeesSection = contains(info.sections(), CPA_SDK_STR(CPA_PLUGIN_SECTION));
        return elf.hasSection && boostSeesSection && elf.symbolInSection ? PluginFileKind::Plugin
                                                                         : PluginFileKind::NotPlugin;
    } catch (const std::exception& e) {
        throw PluginError("plugin " + quoted(file) + " is not a readable ELF shared object of this platform: " +
                          e.what());
    }
}

LoadedPlugin& PluginLoader::load(const std::filesystem::path& given) {
    // dlopen searches the library path for a name without a slash: always
    // hand it the very file that was inspected.
    std::error_code ec;
    std::filesystem::path file = std::filesystem::absolute(given, ec);
    if (ec) file = given;
    if (inspect(file) != PluginFileKind::Plugin) {
        throw PluginError("file " + quoted(file) + " is not a cpa plugin: it has no symbol '" CPA_PLUGIN_SYMBOL
                          "' in ELF section '" CPA_SDK_STR(CPA_PLUGIN_SECTION) "'");
    }

    auto library = std::make_unique<LoadedPlugin::Library>();
    try {
        library->lib.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        throw PluginError("cannot load plugin " + quoted(file) + ": " + e.what());
    }
    if (!library->lib.has(CPA_PLUGIN_SYMBOL)) {
        throw PluginError("file " + quoted(file) + " is not a cpa plugin: it does not export '" CPA_PLUGIN_SYMBOL
                          "'");
    }
    const auto* d = &library->lib.get<const CpaPluginDescriptor>(CPA_PLUGIN_SYMBOL);

    const std::string prefix = "plugin " + quoted(file) + " refused: ";
    // struct_size is read first: the fields after it only exist when it is large enough.
    if (d->struct_size < sizeof(CpaPluginDescriptor)) {
        throw PluginError(prefix + "descriptor struct_size is " + std::to_string(d->struct_size) +
                          ", expected at least " + std::to_string(sizeof(CpaPluginDescriptor)));
    }
    if (d->abi_major != expected_.abiMajor) {
        throw PluginError(prefix + "SDK ABI major version is " + std::to_string(d->abi_major) + ", expected " +
                          std::to_string(expected_.abiMajor) + " (rebuild the plugin against this SDK)");
    }
    if (d->abi_minor > expected_.abiMinor) {
        throw PluginError(prefix + "SDK ABI version is " + std::to_string(d->abi_major) + "." +
                          std::to_string(d->abi_minor) + ", newer than this server's " +
                          std::to_string(expected_.abiMajor) + "." + std::to_string(expected_.abiMinor) +
                          " (expected minor <= " + std::to_string(expected_.abiMinor) + ")");
    }
    if (d->build_key == nullptr || expected_.buildKey != d->build_key) {
        throw PluginError(prefix + "build key is \"" + orNull(d->build_key) + "\", expected \"" +
                          expected_.buildKey + "\" (compiler, C++ ABI, C++ standard, Poco and Boost must match)");
    }
    if (d->name == nullptr || *d->name == '\0') throw PluginError(prefix + "module name is empty");
    const std::string name = d->name;
    for (const auto& other : loaded_) {
        if (other->name() == name) {
            throw PluginError(prefix + "module name '" + name + "' is already used by plugin " +
                              quoted(other->file()));
        }
    }
    if (d->create == nullptr || d->destroy == nullptr) {
        throw PluginError(prefix + "descriptor has no create() or destroy() function");
    }

    loaded_.push_back(std::unique_ptr<LoadedPlugin>(new LoadedPlugin(file, std::move(library), d)));
    return *loaded_.back();
}

void PluginLoader::unload(const LoadedPlugin& plugin) noexcept {
    const auto it = std::find_if(loaded_.begin(), loaded_.end(), [&](const auto& p) { return p.get() == &plugin; });
    if (it != loaded_.end()) loaded_.erase(it);
}

void PluginLoader::unloadAll() noexcept {
    while (!loaded_.empty()) loaded_.pop_back();
}

}  // namespace cpa::core
