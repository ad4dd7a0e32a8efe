#pragma once
// A ConfigModule wired to the SDK fakes, with a temp directory for files.
#include "config_module.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>

namespace cpa::config::test {

namespace st = cpa::sdk::testing;

class ModuleFixture : public ::testing::Test {
protected:
    explicit ModuleFixture(sdk::Value root = sdk::Value::object()) : ctx_(std::move(root)) {
        std::random_device rd;
        dir_ = std::filesystem::temp_directory_path() / ("cpa-config-unit-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(dir_);
        ctx_.mutablePaths().configDir = dir_.string();
        ctx_.mutablePaths().configFile = (dir_ / "config.yaml").string();
        // JSON is YAML: enough for replaceText in unit tests.
        ctx_.config().setTextParser([](const std::string& text) {
            try {
                return sdk::parseJson(text);
            } catch (const std::exception& e) {
                throw std::invalid_argument(e.what());
            }
        });
        module_.configure(ctx_);
        module_.registerRoutes(router_);
        router_.freeze();
    }
    ~ModuleFixture() override {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    st::FakeResponse call(sdk::Method m, const std::string& path, std::string body = {}) {
        return router_.call(m, path, std::move(body));
    }
    st::FakeResponse mgmt(sdk::Method m, const std::string& suffix, std::string body = {}) {
        return call(m, "/v0/management" + suffix, std::move(body));
    }
    void writeFile(const std::filesystem::path& rel, const std::string& text) {
        std::filesystem::create_directories((dir_ / rel).parent_path());
        std::ofstream(dir_ / rel, std::ios::binary) << text;
    }
    const sdk::Value& root() { return ctx_.config().snapshot()->root(); }

    st::FakeContext ctx_;
    st::FakeRouter router_;
    ConfigModule module_;
    std::filesystem::path dir_;
};

inline std::string json(const st::FakeResponse& r) { return r.body(); }

}  // namespace cpa::config::test
