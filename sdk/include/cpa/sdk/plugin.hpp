#pragma once
// The one exported descriptor of a plugin, checked by the loader before any
// plugin code other than static initialisation runs.
#include <cpa/sdk/module.hpp>
#include <cpa/sdk/version.hpp>

#include <boost/config.hpp>
#include <boost/version.hpp>
#include <Poco/Version.h>

#include <cstdint>

// Everything that must match across the boundary: compiler family and major,
// libstdc++ dual ABI, C++ standard, Poco and Boost versions.
#define CPA_SDK_STR2(x) #x
#define CPA_SDK_STR(x) CPA_SDK_STR2(x)
#if defined(__clang__)
#define CPA_SDK_COMPILER "clang" CPA_SDK_STR(__clang_major__)
#elif defined(__GNUC__)
#define CPA_SDK_COMPILER "gcc" CPA_SDK_STR(__GNUC__)
#else
#define CPA_SDK_COMPILER "unknown"
#endif
#if defined(_GLIBCXX_USE_CXX11_ABI)
#define CPA_SDK_CXXABI CPA_SDK_STR(_GLIBCXX_USE_CXX11_ABI)
#else
#define CPA_SDK_CXXABI "na"
#endif
#define CPA_SDK_BUILD_KEY                                                                         \
    CPA_SDK_COMPILER ";cxx11abi=" CPA_SDK_CXXABI ";std=" CPA_SDK_STR(__cplusplus) ";poco=" CPA_SDK_STR( \
        POCO_VERSION) ";boost=" CPA_SDK_STR(BOOST_VERSION)

extern "C" {
struct CpaPluginDescriptor {
    std::uint32_t struct_size;
    std::uint32_t abi_major;
    std::uint32_t abi_minor;
    const char* build_key;
    const char* name;     ///< unique module name, e.g. "quota"
    const char* version;  ///< the module's own version
    cpa::sdk::Module* (*create)();
    void (*destroy)(cpa::sdk::Module*) noexcept;
};
}

#define CPA_PLUGIN_SECTION cpa_plug
#define CPA_PLUGIN_SYMBOL "cpa_plugin_descriptor"

// Defines the plugin's descriptor. Use once, in plugin_entry.cpp:
//   CPA_PLUGIN(cpa::quota::QuotaModule, "quota", "1.0.0")
#define CPA_PLUGIN(ModuleClass, moduleName, moduleVersion)                                         \
    namespace {                                                                                    \
    cpa::sdk::Module* cpa_plugin_create() { return new ModuleClass(); }                             \
    void cpa_plugin_destroy(cpa::sdk::Module* m) noexcept { delete m; }                             \
    }                                                                                              \
    CPA_PLUGIN_DESCRIPTOR_RAW(CPA_SDK_ABI_MAJOR, CPA_SDK_ABI_MINOR, CPA_SDK_BUILD_KEY, moduleName,  \
                              moduleVersion, &cpa_plugin_create, &cpa_plugin_destroy)

// Lower-level form (also used by the loader's refusal fixtures).
#define CPA_PLUGIN_DESCRIPTOR_RAW(abiMajor, abiMinor, buildKey, moduleName, moduleVersion, createFn,  \
                                  destroyFn)                                                       \
    extern "C" __attribute__((visibility("default"), section("cpa_plug"), used))                     \
    const CpaPluginDescriptor cpa_plugin_descriptor = {sizeof(CpaPluginDescriptor), (abiMajor),     \
                                                       (abiMinor), (buildKey), (moduleName),       \
                                                       (moduleVersion), (createFn), (destroyFn)};
