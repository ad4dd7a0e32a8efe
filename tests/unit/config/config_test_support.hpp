#pragma once
// Temp directories, file helpers and a capturing logger for the config tests.
#include <cpa/sdk/module.hpp>

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace cpa::core::test {

class TempDir {
public:
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "cpa-config-test-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

inline void writeText(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path);
}

inline std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Names of all entries in `dir` (hidden ones included).
inline std::vector<std::string> listDir(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
    return out;
}

class CapturingLogger : public sdk::Logger {
public:
    void log(sdk::LogLevel level, std::string_view message) override {
        std::lock_guard lock(mutex_);
        entries_.emplace_back(level, std::string(message));
    }
    bool contains(sdk::LogLevel level, const std::string& needle) const {
        std::lock_guard lock(mutex_);
        for (const auto& [l, m] : entries_) {
            if (l == level && m.find(needle) != std::string::npos) return true;
        }
        return false;
    }
    std::string all() const {
        std::lock_guard lock(mutex_);
        std::string out;
        for (const auto& e : entries_) out += e.second + "\n";
        return out;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::pair<sdk::LogLevel, std::string>> entries_;
};

}  // namespace cpa::core::test
