#pragma once
// A fresh directory under /tmp, removed with everything in it.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

#include <stdlib.h>

namespace cpa::logs::testing {

struct TestDir {
    std::filesystem::path path;
    TestDir() {
        char tmpl[] = "/tmp/cpa-logs-test-XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~TestDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TestDir(const TestDir&) = delete;
    TestDir& operator=(const TestDir&) = delete;
};

inline void writeText(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

inline std::string readText(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace cpa::logs::testing
