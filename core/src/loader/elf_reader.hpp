#pragma once
// A bounds-checked look at an ELF file's sections and symbols, without
// loading it. boost::dll::library_info (Boost 1.74) trusts every offset it
// reads, and its symbols() takes names from the last SHT_STRTAB section
// (normally .shstrtab) instead of the symbol table's linked one — correct
// only by accident of vector capacity. So files are validated and symbols
// resolved here; library_info is only used after this check succeeded.
#include <filesystem>
#include <string_view>

namespace cpa::core {

struct ElfSymbolCheck {
    bool hasSection = false;         ///< a section named `section` exists
    bool symbolInSection = false;    ///< `symbol` is a global, default-visibility
                                     ///< symbol defined in that section (.symtab or .dynsym)
};

/// Throws std::runtime_error naming the first problem when the file is not a
/// native ELF object whose section headers, name table, symbol tables and
/// their string tables all lie within the file.
ElfSymbolCheck checkElfSymbol(const std::filesystem::path& file, std::string_view section, std::string_view symbol);

}  // namespace cpa::core
