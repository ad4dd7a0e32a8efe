#include "app/process_env.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

#include <pwd.h>
#include <unistd.h>

namespace cpa::core {

std::string currentDir() {
    std::error_code ec;
    std::filesystem::path p = std::filesystem::current_path(ec);
    return ec ? std::string(".") : p.string();
}

std::string homeDir() {
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') return home;
    std::vector<char> buf(16384);
    struct passwd pw{};
    struct passwd* found = nullptr;
    if (::getpwuid_r(::getuid(), &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr &&
        found->pw_dir != nullptr) {
        return found->pw_dir;
    }
    return {};
}

bool managementPasswordSet() {
    const char* v = std::getenv("MANAGEMENT_PASSWORD");
    return v != nullptr && std::string(v).find_first_not_of(" \t\r\n\v\f") != std::string::npos;
}

}  // namespace cpa::core
