// PluginLoader against real fixture libraries: acceptance and every refusal.
#include "loader/plugin_loader.hpp"

#include <cpa/sdk/plugin.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using cpa::core::PluginError;
using cpa::core::PluginFileKind;
using cpa::core::PluginLoader;

namespace {

fs::path fixture(const std::string& dir, const std::string& file) {
    return fs::path(CPA_LOADER_FIXTURES_DIR) / dir / file;
}

// Loads `file` expecting a PluginError; returns its message.
std::string refusal(const fs::path& file, PluginLoader& loader) {
    try {
        loader.load(file);
    } catch (const PluginError& e) {
        return e.what();
    }
    ADD_FAILURE() << "plugin " << file << " was accepted";
    return {};
}

std::string refusal(const fs::path& file) {
    PluginLoader loader;
    return refusal(file, loader);
}

std::string n(unsigned v) { return std::to_string(v); }

}  // namespace

TEST(PluginLoader, AcceptsAGoodPluginAndCreatesItsModule) {
    PluginLoader loader;
    const auto file = fixture("good", "cpa_loaderfix_good.so");
    EXPECT_EQ(PluginLoader::inspect(file), PluginFileKind::Plugin);
    auto& plugin = loader.load(file);
    EXPECT_EQ(plugin.name(), "fixture-good");
    EXPECT_EQ(plugin.version(), "1.2.3");
    EXPECT_EQ(plugin.file(), file);
    cpa::sdk::Module* module = plugin.create();
    ASSERT_NE(module, nullptr);
    plugin.destroy(module);
    ASSERT_EQ(loader.loaded().size(), 1u);
    loader.unloadAll();
    EXPECT_TRUE(loader.loaded().empty());
}

TEST(PluginLoader, LoadsAStrippedPlugin) {
    PluginLoader loader;
    const auto file = fixture("stripped", "cpa_loaderfix_good.so");
    EXPECT_EQ(PluginLoader::inspect(file), PluginFileKind::Plugin);
    EXPECT_EQ(loader.load(file).name(), "fixture-good");
}

TEST(PluginLoader, AcceptsAPluginBuiltForAnOlderMinor) {
    auto expected = PluginLoader::coreExpectations();
    expected.abiMinor += 1;  // the core is newer than the plugin
    PluginLoader loader(expected);
    EXPECT_EQ(loader.load(fixture("good", "cpa_loaderfix_good.so")).name(), "fixture-good");
}

TEST(PluginLoader, RefusesAWrongAbiMajor) {
    const auto file = fixture("abi_major", "cpa_loaderfix_abi_major.so");
    const std::string msg = refusal(file);
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("ABI major version is " + n(CPA_SDK_ABI_MAJOR + 1) + ", expected " + n(CPA_SDK_ABI_MAJOR)),
              std::string::npos)
        << msg;
}

TEST(PluginLoader, RefusesANewerAbiMinor) {
    const auto file = fixture("abi_minor", "cpa_loaderfix_abi_minor.so");
    const std::string msg = refusal(file);
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
    const std::string found = n(CPA_SDK_ABI_MAJOR) + "." + n(CPA_SDK_ABI_MINOR + 1);
    const std::string core = n(CPA_SDK_ABI_MAJOR) + "." + n(CPA_SDK_ABI_MINOR);
    EXPECT_NE(msg.find("ABI version is " + found + ", newer than this server's " + core), std::string::npos) << msg;
}

TEST(PluginLoader, RefusesAWrongBuildKey) {
    const auto file = fixture("build_key", "cpa_loaderfix_build_key.so");
    const std::string msg = refusal(file);
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("build key is \"gcc0;cxx11abi=0;std=0;poco=0;boost=0\", expected \"" CPA_SDK_BUILD_KEY "\""),
              std::string::npos)
        << msg;
}

TEST(PluginLoader, RefusesADuplicateNameNamingBothFiles) {
    PluginLoader loader;
    const auto first = fixture("duplicate", "cpa_loaderfix_dup_a.so");
    const auto second = fixture("duplicate", "cpa_loaderfix_dup_b.so");
    loader.load(first);
    const std::string msg = refusal(second, loader);
    EXPECT_NE(msg.find(second.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("module name 'fixture-dup' is already used by plugin '" + first.string() + "'"),
              std::string::npos)
        << msg;
    EXPECT_EQ(loader.loaded().size(), 1u);
}

TEST(PluginLoader, RefusesASharedLibraryWithoutDescriptor) {
    const auto file = fixture("notplugin", "cpa_loaderfix_plain.so");
    EXPECT_EQ(PluginLoader::inspect(file), PluginFileKind::NotPlugin);
    const std::string msg = refusal(file);
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("is not a cpa plugin"), std::string::npos) << msg;
}

TEST(PluginLoader, RefusesFilesThatAreNotElf) {
    const fs::path dir = fs::temp_directory_path() / ("cpa-loader-notelf-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto text = dir / "cpa_text.so";
    std::ofstream(text) << "this is not an ELF file, just text that is long enough to look at\n";
    const auto empty = dir / "cpa_empty.so";
    std::ofstream(empty).flush();

    for (const auto& file : {text, empty, dir / "missing.so"}) {
        SCOPED_TRACE(file.string());
        try {
            PluginLoader::inspect(file);
            ADD_FAILURE() << "inspect accepted " << file;
        } catch (const PluginError& e) {
            EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
        }
        EXPECT_NE(refusal(file).find(file.string()), std::string::npos);
    }
    fs::remove_all(dir);
}

TEST(PluginLoader, RefusesATooSmallDescriptor) {
    const auto file = fixture("small_struct", "cpa_loaderfix_small.so");
    const std::string msg = refusal(file);
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("struct_size is 8, expected at least " + std::to_string(sizeof(CpaPluginDescriptor))),
              std::string::npos)
        << msg;
}

TEST(PluginLoader, RefusesAnEmptyName) {
    const auto file = fixture("empty_name", "cpa_loaderfix_empty_name.so");
    const std::string msg = refusal(file);
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("module name is empty"), std::string::npos) << msg;
}

TEST(PluginLoader, ReportsACreateThatReturnsNull) {
    PluginLoader loader;
    const auto file = fixture("create_null", "cpa_loaderfix_create_null.so");
    auto& plugin = loader.load(file);
    try {
        plugin.create();
        FAIL() << "create() returning null was accepted";
    } catch (const PluginError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
        EXPECT_NE(msg.find("create() returned null"), std::string::npos) << msg;
    }
}

TEST(PluginLoader, ReportsACreateThatThrows) {
    PluginLoader loader;
    const auto file = fixture("create_throws", "cpa_loaderfix_create_throws.so");
    auto& plugin = loader.load(file);
    try {
        plugin.create();
        FAIL() << "a throwing create() was accepted";
    } catch (const PluginError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
        EXPECT_NE(msg.find("create() failed: fixture create failure"), std::string::npos) << msg;
    }
}

TEST(PluginLoader, CorruptCopiesAreRefusedWithoutCrashing) {
    const auto good = fixture("good", "cpa_loaderfix_good.so");
    std::ifstream in(good, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_GT(bytes.size(), 4096u);
    const fs::path dir = fs::temp_directory_path() / ("cpa-loader-corrupt-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto file = dir / "cpa_corrupt.so";

    std::vector<std::string> variants;
    for (const std::size_t cut : {std::size_t{16}, std::size_t{64}, bytes.size() / 2, bytes.size() - 1}) {
        variants.push_back(bytes.substr(0, cut));  // truncated copies (interrupted install)
    }
    // Section header offset (e_shoff, bytes 40..47 of an ELF64 header) pointing far away.
    std::string farTable = bytes;
    for (int i = 40; i < 48; ++i) farTable[static_cast<std::size_t>(i)] = '\x7f';
    variants.push_back(farTable);
    // Every section header's name offset and file offset garbled.
    std::string garbled = bytes;
    std::uint64_t shoff = 0;
    std::memcpy(&shoff, garbled.data() + 40, sizeof shoff);
    for (std::size_t p = shoff; p + 64 <= garbled.size(); p += 64) {
        garbled[p + 0] = '\xff';  // sh_name
        garbled[p + 3] = '\x7f';
        garbled[p + 31] = '\x10';  // sh_offset high byte
    }
    variants.push_back(garbled);

    for (std::size_t i = 0; i < variants.size(); ++i) {
        SCOPED_TRACE("variant " + std::to_string(i));
        std::ofstream(file, std::ios::binary | std::ios::trunc) << variants[i];
        EXPECT_THROW(PluginLoader::inspect(file), PluginError);
        const std::string msg = refusal(file);
        EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
    }
    fs::remove_all(dir);
}

TEST(PluginLoader, ARelativePathLoadsTheInspectedFile) {
    const fs::path before = fs::current_path();
    fs::current_path(fixture("good", ""));
    PluginLoader loader;
    std::string name;
    fs::path file;
    try {
        auto& plugin = loader.load("cpa_loaderfix_good.so");  // no slash: dlopen would search LD paths
        name = plugin.name();
        file = plugin.file();
    } catch (...) {
        fs::current_path(before);
        throw;
    }
    fs::current_path(before);
    EXPECT_EQ(name, "fixture-good");
    EXPECT_TRUE(file.is_absolute()) << file;
}
