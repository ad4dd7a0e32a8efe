// fetchPanel against the loopback feed: fresh, unchanged, failures keep the
// old file, digest and pin mismatches are refused; the feed URL rules.
#include "panel_support.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cpa::test {
namespace {

namespace fs = std::filesystem;
using core::panel::FetchOptions;
using core::panel::FetchResult;
using core::panel::fetchPanel;
using Outcome = FetchResult::Outcome;

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

class PanelFetch : public ::testing::Test {
protected:
    FetchOptions options() const {
        FetchOptions o;
        o.releaseUrl = feed.releaseUrl();
        o.target = dir.path() / "static" / "management.html";
        o.timeout = std::chrono::milliseconds(5000);
        return o;
    }
    FakePanelFeed feed;
    TempDir dir;
};

TEST_F(PanelFetch, FreshDownloadIsWrittenWorldReadable) {
    const FetchResult r = fetchPanel(options());
    ASSERT_EQ(r.outcome, Outcome::Updated) << r.message;
    EXPECT_EQ(readFile(options().target), "<html>panel v1</html>");
    const auto perms = fs::status(options().target).permissions();
    EXPECT_NE(perms & fs::perms::others_read, fs::perms::none);
    EXPECT_EQ(r.sha256, cpa::sdk::sha256Hex("<html>panel v1</html>"));
    // Only the file itself in static/: no temp file left behind.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path() / "static"), fs::directory_iterator()), 1);
    const auto reqs = feed.upstream().requests();
    ASSERT_FALSE(reqs.empty());
    EXPECT_EQ(reqs[0].header("Accept"), "application/vnd.github+json");
}

TEST_F(PanelFetch, UnchangedWhenTheLocalFileHasTheReleaseDigest) {
    ASSERT_EQ(fetchPanel(options()).outcome, Outcome::Updated);
    const auto mtime = fs::last_write_time(options().target);
    const FetchResult r = fetchPanel(options());
    EXPECT_EQ(r.outcome, Outcome::Unchanged) << r.message;
    EXPECT_EQ(feed.downloads(), 1u) << "no second download";
    EXPECT_EQ(fs::last_write_time(options().target), mtime);
}

TEST_F(PanelFetch, NewReleaseReplacesTheFile) {
    ASSERT_EQ(fetchPanel(options()).outcome, Outcome::Updated);
    feed.setAsset("<html>panel v2</html>");
    EXPECT_EQ(fetchPanel(options()).outcome, Outcome::Updated);
    EXPECT_EQ(readFile(options().target), "<html>panel v2</html>");
}

TEST_F(PanelFetch, FailuresKeepTheOldFile) {
    ASSERT_EQ(fetchPanel(options()).outcome, Outcome::Updated);
    feed.setAsset("<html>panel v2</html>");
    feed.setFeedStatus(503);
    FetchResult r = fetchPanel(options());
    EXPECT_EQ(r.outcome, Outcome::Failed);
    EXPECT_NE(r.message.find("503"), std::string::npos) << r.message;
    EXPECT_EQ(readFile(options().target), "<html>panel v1</html>");
    // Nobody listening at all.
    FetchOptions o = options();
    o.releaseUrl = "http://127.0.0.1:1/releases/latest";
    r = fetchPanel(o);
    EXPECT_EQ(r.outcome, Outcome::Failed);
    EXPECT_EQ(readFile(options().target), "<html>panel v1</html>");
}

TEST_F(PanelFetch, DigestMismatchIsRefused) {
    feed.setAsset("<html>tampered</html>", cpa::sdk::sha256Hex("<html>something else</html>"));
    const FetchResult r = fetchPanel(options());
    EXPECT_EQ(r.outcome, Outcome::Failed);
    EXPECT_NE(r.message.find("digest mismatch"), std::string::npos) << r.message;
    EXPECT_FALSE(fs::exists(options().target));
}

TEST_F(PanelFetch, PinMismatchIsRefusedAndAMatchingPinIsAccepted) {
    ASSERT_EQ(fetchPanel(options()).outcome, Outcome::Updated);
    feed.setAsset("<html>panel v2</html>");
    FetchOptions o = options();
    o.pinSha256 = cpa::sdk::sha256Hex("<html>panel v3</html>");
    FetchResult r = fetchPanel(o);
    EXPECT_EQ(r.outcome, Outcome::Failed);
    EXPECT_NE(r.message.find("pinned"), std::string::npos) << r.message;
    EXPECT_EQ(readFile(options().target), "<html>panel v1</html>");
    o.pinSha256 = cpa::sdk::sha256Hex("<html>panel v2</html>");
    r = fetchPanel(o);
    EXPECT_EQ(r.outcome, Outcome::Updated) << r.message;
    EXPECT_EQ(readFile(options().target), "<html>panel v2</html>");
    // The pinned file present: no request at all.
    const std::size_t before = feed.feedRequests();
    EXPECT_EQ(fetchPanel(o).outcome, Outcome::Unchanged);
    EXPECT_EQ(feed.feedRequests(), before);
}

TEST(PanelReleaseUrl, TheOriginalsRulesAndLocalFeeds) {
    using core::panel::resolveReleaseUrl;
    const std::string def(core::panel::kDefaultReleaseUrl);
    EXPECT_EQ(resolveReleaseUrl(""), def);
    EXPECT_EQ(resolveReleaseUrl("not a url"), def);
    EXPECT_EQ(resolveReleaseUrl("https://github.com/me/panel.git"),
              "https://api.github.com/repos/me/panel/releases/latest");
    EXPECT_EQ(resolveReleaseUrl("https://api.github.com/repos/me/panel"),
              "https://api.github.com/repos/me/panel/releases/latest");
    EXPECT_EQ(resolveReleaseUrl("https://api.github.com/repos/me/panel/releases/latest"),
              "https://api.github.com/repos/me/panel/releases/latest");
    EXPECT_EQ(resolveReleaseUrl("http://127.0.0.1:8080/feed.json"), "http://127.0.0.1:8080/feed.json");
}

}  // namespace
}  // namespace cpa::test
