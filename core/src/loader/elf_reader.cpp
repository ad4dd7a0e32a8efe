#include "loader/elf_reader.hpp"

#include <elf.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace cpa::core {

namespace {

#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
using Ehdr = Elf64_Ehdr;
using Shdr = Elf64_Shdr;
using Sym = Elf64_Sym;
constexpr unsigned char kClass = ELFCLASS64;
unsigned char symBind(unsigned char info) { return ELF64_ST_BIND(info); }
unsigned char symVisibility(unsigned char other) { return ELF64_ST_VISIBILITY(other); }
#else
using Ehdr = Elf32_Ehdr;
using Shdr = Elf32_Shdr;
using Sym = Elf32_Sym;
constexpr unsigned char kClass = ELFCLASS32;
unsigned char symBind(unsigned char info) { return ELF32_ST_BIND(info); }
unsigned char symVisibility(unsigned char other) { return ELF32_ST_VISIBILITY(other); }
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr unsigned char kData = ELFDATA2LSB;
#else
constexpr unsigned char kData = ELFDATA2MSB;
#endif

// Larger files are not plausible plugins; refusing them bounds memory use.
constexpr std::uintmax_t kMaxFileSize = 1024u * 1024u * 1024u;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

bool inFile(std::uint64_t offset, std::uint64_t size, std::uint64_t fileSize) {
    return offset <= fileSize && size <= fileSize - offset;
}

class Image {
public:
    explicit Image(const std::filesystem::path& file) {
        std::error_code ec;
        const std::uintmax_t size = std::filesystem::file_size(file, ec);
        if (ec) fail("cannot read the file: " + ec.message());
        if (size > kMaxFileSize) fail("file is too large (" + std::to_string(size) + " bytes)");
        if (size < sizeof(Ehdr)) fail("file is too small for an ELF header (" + std::to_string(size) + " bytes)");
        std::ifstream in(file, std::ios::binary);
        // Not zero-filled first: plugins with debug information are tens of MB.
        data_ = std::make_unique_for_overwrite<char[]>(static_cast<std::size_t>(size));
        size_ = size;
        if (!in || !in.read(data_.get(), static_cast<std::streamsize>(size))) fail("cannot read the file");
    }

    std::uint64_t size() const { return size_; }

    template <class T>
    T at(std::uint64_t offset) const {
        if (!inFile(offset, sizeof(T), size())) fail("truncated structure");
        T value;
        std::memcpy(&value, data_.get() + offset, sizeof value);
        return value;
    }

    // The NUL-terminated string at `offset` of the string table `table`.
    std::string_view string(const Shdr& table, std::uint64_t offset) const {
        if (offset >= table.sh_size) fail("a name lies outside its string table");
        const char* begin = data_.get() + table.sh_offset + offset;
        const std::size_t room = static_cast<std::size_t>(table.sh_size - offset);
        const void* end = std::memchr(begin, '\0', room);
        if (end == nullptr) fail("an unterminated name in a string table");
        return {begin, static_cast<std::size_t>(static_cast<const char*>(end) - begin)};
    }

private:
    std::unique_ptr<char[]> data_;
    std::uint64_t size_ = 0;
};

}  // namespace

ElfSymbolCheck checkElfSymbol(const std::filesystem::path& file, std::string_view section, std::string_view symbol) {
    const Image image(file);
    const auto eh = image.at<Ehdr>(0);
    if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) fail("not an ELF file (bad magic)");
    if (eh.e_ident[EI_CLASS] != kClass || eh.e_ident[EI_DATA] != kData) {
        fail("not an ELF file of this platform (class or byte order differs)");
    }
    if (eh.e_shentsize != sizeof(Shdr)) fail("unexpected section header size " + std::to_string(eh.e_shentsize));
    if (eh.e_shnum == 0 || eh.e_shnum >= SHN_LORESERVE) fail("no usable section header table");
    if (!inFile(eh.e_shoff, std::uint64_t{eh.e_shnum} * sizeof(Shdr), image.size())) {
        fail("section header table lies outside the file");
    }
    if (eh.e_shstrndx == SHN_UNDEF || eh.e_shstrndx >= eh.e_shnum) fail("no section name table");

    std::vector<Shdr> sections;
    sections.reserve(eh.e_shnum);
    for (std::uint64_t i = 0; i < eh.e_shnum; ++i) {
        const auto s = image.at<Shdr>(eh.e_shoff + i * sizeof(Shdr));
        if (s.sh_type != SHT_NOBITS && s.sh_type != SHT_NULL && !inFile(s.sh_offset, s.sh_size, image.size())) {
            fail("a section lies outside the file");
        }
        sections.push_back(s);
    }
    const Shdr& names = sections[eh.e_shstrndx];
    if (names.sh_type != SHT_STRTAB) fail("section name table is not a string table");

    ElfSymbolCheck result;
    std::uint64_t sectionIndex = 0;
    for (std::uint64_t i = 0; i < sections.size(); ++i) {
        // Every name is validated: library_info::sections() reads them all.
        if (image.string(names, sections[i].sh_name) == section && !result.hasSection) {
            result.hasSection = true;
            sectionIndex = i;
        }
    }

    for (const Shdr& table : sections) {
        if (table.sh_type != SHT_SYMTAB && table.sh_type != SHT_DYNSYM) continue;
        if (table.sh_link >= sections.size() || sections[table.sh_link].sh_type != SHT_STRTAB) {
            fail("a symbol table without a valid string table");
        }
        const Shdr& strings = sections[table.sh_link];
        const std::uint64_t count = table.sh_size / sizeof(Sym);
        for (std::uint64_t i = 0; i < count; ++i) {
            const auto sym = image.at<Sym>(table.sh_offset + i * sizeof(Sym));
            if (sym.st_name == 0) continue;
            const std::string_view name = image.string(strings, sym.st_name);
            if (result.hasSection && name == symbol && sym.st_shndx == sectionIndex &&
                symBind(sym.st_info) != STB_LOCAL && symVisibility(sym.st_other) == STV_DEFAULT) {
                result.symbolInSection = true;
            }
        }
    }
    return result;
}

}  // namespace cpa::core
