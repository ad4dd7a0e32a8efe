#include "app/console.hpp"

#include <cerrno>
#include <string_view>

#include <unistd.h>

namespace cpa::core {
namespace {

void writeAll(int fd, std::string_view rest) noexcept {
    while (!rest.empty()) {
        const ssize_t n = ::write(fd, rest.data(), rest.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace

void writeStderr(const std::string& text) noexcept { writeAll(STDERR_FILENO, text); }
void writeStdout(const std::string& text) noexcept { writeAll(STDOUT_FILENO, text); }

void printError(const std::string& message) noexcept {
    try {
        writeStderr("cpa-server: " + message + "\n");
    } catch (...) {
    }
}

}  // namespace cpa::core
