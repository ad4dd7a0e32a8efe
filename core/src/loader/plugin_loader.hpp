#pragma once
// Loads cpa plugins: confirms a file is one (ELF section `cpa_plug` holding
// `cpa_plugin_descriptor`, seen by boost::dll::library_info and by the
// bounds-checked reader of elf_reader.hpp) before dlopen, then checks the
// descriptor against the core's ABI and build key (architecture.md §4).
#include <cpa/sdk/module.hpp>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

struct CpaPluginDescriptor;  // cpa/sdk/plugin.hpp

namespace cpa::core {

/// A refused plugin or a failed module lifecycle step; the message names the
/// file and, for a mismatch, the found and expected values.
class PluginError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// What the ELF inspection found, without loading the file.
enum class PluginFileKind {
    Plugin,     ///< has the descriptor symbol in section cpa_plug
    NotPlugin,  ///< a readable ELF file without it
};

/// One loaded, accepted plugin library. Owned by PluginLoader; the library
/// stays mapped until the loader unloads it.
class LoadedPlugin {
public:
    ~LoadedPlugin();
    const std::filesystem::path& file() const noexcept { return file_; }
    const std::string& name() const noexcept { return name_; }
    const std::string& version() const noexcept { return version_; }

    /// Calls the descriptor's create(); PluginError (naming the file) when it
    /// throws or returns null.
    sdk::Module* create() const;
    /// Calls the descriptor's destroy(); null is ignored.
    void destroy(sdk::Module* module) const noexcept;

    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;

private:
    friend class PluginLoader;
    struct Library;
    LoadedPlugin(std::filesystem::path file, std::unique_ptr<Library> library, const CpaPluginDescriptor* d);

    std::filesystem::path file_;
    std::unique_ptr<Library> library_;
    const CpaPluginDescriptor* descriptor_;
    std::string name_;
    std::string version_;
};

class PluginLoader {
public:
    /// The values a plugin must match; defaults are the core's own.
    struct Expectations {
        unsigned abiMajor;
        unsigned abiMinor;
        std::string buildKey;
    };
    static Expectations coreExpectations();

    PluginLoader();
    explicit PluginLoader(Expectations expected);
    ~PluginLoader();  ///< unloads everything still loaded

    /// Inspects the file's ELF sections and symbols without loading it.
    /// Throws PluginError when the file cannot be read or is not an ELF file
    /// of this platform.
    static PluginFileKind inspect(const std::filesystem::path& file);

    /// inspect() → dlopen(RTLD_NOW|RTLD_LOCAL) → descriptor checks → name not
    /// yet loaded. Throws PluginError; a refused library is closed again.
    /// A relative path is made absolute first (the plugin's file() is too).
    LoadedPlugin& load(const std::filesystem::path& file);

    /// Unloads one plugin (none of its objects may be alive).
    void unload(const LoadedPlugin& plugin) noexcept;
    /// Unloads all, newest first.
    void unloadAll() noexcept;

    const std::vector<std::unique_ptr<LoadedPlugin>>& loaded() const noexcept { return loaded_; }
    const Expectations& expectations() const noexcept { return expected_; }

    PluginLoader(const PluginLoader&) = delete;
    PluginLoader& operator=(const PluginLoader&) = delete;

private:
    Expectations expected_;
    std::vector<std::unique_ptr<LoadedPlugin>> loaded_;
};

}  // namespace cpa::core
