// GET /auth-files/models over a scripted "cpa.ModelListing/1" (auth-files.md
// auth-files.md §4): name → credential ID, the entry shape, and the absent data plane.
#include "auth_file_models_route.hpp"
#include "file_credential_store.hpp"

#include <cpa/sdk/model_listing.hpp>
#include <cpa/sdk/testing/fake_context.hpp>
#include <cpa/sdk/testing/fake_router.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

namespace fs = std::filesystem;
using namespace cpa;

namespace {

class ScriptedListing final : public sdk::ModelListing {
public:
    std::map<std::string, std::vector<sdk::ModelEntry>, std::less<>> byId;
    mutable std::vector<std::string> asked;
    std::vector<sdk::ModelEntry> modelsForCredential(std::string_view id) const override {
        asked.emplace_back(id);
        auto it = byId.find(id);
        return it == byId.end() ? std::vector<sdk::ModelEntry>{} : it->second;
    }
};

class AuthFileModelsRoute : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("cpa-oauth-models-" + std::to_string(::getpid()));
        fs::create_directories(dir);
        std::ofstream(dir / "alpha.json") << R"({"type":"claude","email":"a@x.com"})";
        store = std::make_shared<oauth::FileCredentialStore>(dir, log);
        store->load();
        oauth::registerAuthFileModelsRoute(router, store, services);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    void provideListing() {
        services.provide(sdk::kModelListingService, listing);
    }
    sdk::testing::FakeResponse get(const std::string& query) {
        return router.call(sdk::Method::Get, "/v0/management/auth-files/models" + query);
    }

    fs::path dir;
    sdk::testing::FakeLogger log;
    std::shared_ptr<oauth::FileCredentialStore> store;
    sdk::testing::FakeServices services;
    sdk::testing::FakeRouter router;
    std::shared_ptr<ScriptedListing> listing = std::make_shared<ScriptedListing>();
};

TEST_F(AuthFileModelsRoute, NameIsRequired) {
    provideListing();
    for (const std::string q : {"", "?name=", "?other=x"}) {
        auto res = get(q);
        EXPECT_EQ(res.status(), 400) << q;
        EXPECT_EQ(res.body(), R"({"error":"name is required"})") << q;
    }
    EXPECT_TRUE(listing->asked.empty());
}

TEST_F(AuthFileModelsRoute, ListsEntriesWithEmptyFieldsLeftOutKeysAlphabetical) {
    listing->byId["gemini:abc123def456"] = {{"zz", "Zed", "gemini", "google"}, {"bare", "", "", ""},
                                            {"mid", "", "t", ""}};
    provideListing();
    auto res = get("?name=gemini:abc123def456");
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(res.body(), R"({"models":[{"display_name":"Zed","id":"zz","owned_by":"google","type":"gemini"},)"
                          R"({"id":"bare"},{"id":"mid","type":"t"}]})");
}

TEST_F(AuthFileModelsRoute, FileNameResolvesToItsCredentialIdOtherNamesPassThrough) {
    listing->byId["alpha.json"] = {{"claude-x", "", "", ""}};
    provideListing();
    EXPECT_EQ(get("?name=alpha.json").body(), R"({"models":[{"id":"claude-x"}]})");
    EXPECT_EQ(get("?name=nope.json").body(), R"({"models":[]})");
    EXPECT_EQ(get("?name=%20alpha.json").body(), R"({"models":[]})");  // exact match only
    EXPECT_EQ(listing->asked, (std::vector<std::string>{"alpha.json", "nope.json", " alpha.json"}));
    EXPECT_EQ(oauth::credentialIdForName(*store, "alpha.json"), "alpha.json");
    EXPECT_EQ(oauth::credentialIdForName(*store, "codex:0123456789ab"), "codex:0123456789ab");
}

TEST_F(AuthFileModelsRoute, WithoutTheDataPlaneEveryNameHasNoModels) {
    auto res = get("?name=alpha.json");
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(res.body(), R"({"models":[]})");
}

}  // namespace
