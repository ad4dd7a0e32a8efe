// Path safety of every auth-dir operation (D12): hostile names and a planted
// symlink never reach a file outside the directory.
#include "auth_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

namespace fs = std::filesystem;
using cpa::oauth::AuthDir;
using cpa::oauth::FileError;
using cpa::oauth::isSafeName;
using cpa::oauth::NotRegularFile;

namespace {

struct TempTree {
    fs::path root;
    TempTree() {
        root = fs::temp_directory_path() / ("cpa-oauth-dir-" + std::to_string(::getpid()) + "-" +
                                            std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        fs::create_directories(root / "auth");
        fs::create_directories(root / "outside");
    }
    ~TempTree() {
        std::error_code ec;
        fs::remove_all(root, ec);
    }
    fs::path auth() const { return root / "auth"; }
    fs::path outside() const { return root / "outside"; }
};

void writeText(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }
std::string readText(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST(AuthDirNames, HostileNamesAreUnsafe) {
    for (const std::string& n : std::vector<std::string>{"", "   ", "../x.json", "..%2fx.json/", "a/b.json", "a\\b.json", "/etc/passwd", ".", "..",
                          "..\\x.json", std::string(256, 'a')}) {
        EXPECT_FALSE(isSafeName(n)) << n;
    }
    EXPECT_FALSE(isSafeName(std::string("a\0b.json", 8)));
    EXPECT_TRUE(isSafeName("alpha.json"));
    EXPECT_TRUE(isSafeName("..%2fx.json"));  // a literal name, stays inside the directory
    EXPECT_TRUE(isSafeName(std::string(255, 'a')));
}

TEST(AuthDirOps, WriteIsAtomicWithMode0600AndReadsBack) {
    TempTree t;
    AuthDir dir(t.auth());
    dir.writeAtomic("a.json", "{\"type\":\"codex\"}");
    struct stat st {};
    ASSERT_EQ(::stat((t.auth() / "a.json").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(readText(t.auth() / "a.json"), "{\"type\":\"codex\"}");
    // No temp file left behind.
    EXPECT_EQ(std::distance(fs::directory_iterator(t.auth()), fs::directory_iterator()), 1);
    auto r = dir.read("a.json");
    EXPECT_EQ(r.error, FileError::None);
    EXPECT_EQ(r.content, "{\"type\":\"codex\"}");
}

TEST(AuthDirOps, SymlinkPointingOutsideIsNeverFollowed) {
    TempTree t;
    writeText(t.outside() / "secret.json", "SECRET");
    fs::create_symlink(t.outside() / "secret.json", t.auth() / "link.json");
    AuthDir dir(t.auth());

    EXPECT_NE(dir.read("link.json").error, FileError::None);
    EXPECT_FALSE(dir.stat("link.json"));
    EXPECT_TRUE(dir.listJson().empty());
    EXPECT_EQ(dir.remove("link.json"), FileError::NotRegular);
    EXPECT_TRUE(fs::is_symlink(t.auth() / "link.json"));

    // A write under the link's name is refused: link and target stay.
    EXPECT_THROW(dir.writeAtomic("link.json", "{}"), NotRegularFile);
    EXPECT_TRUE(fs::is_symlink(t.auth() / "link.json"));
    EXPECT_EQ(readText(t.outside() / "secret.json"), "SECRET");
}

TEST(AuthDirOps, StaleTempFilesOfDeadWritersAreRemoved) {
    TempTree t;
    AuthDir dir(t.auth());
    writeText(t.auth() / ".a.json.tmp-99999999-0-42", "{\"token\":\"x\"}");
    writeText(t.auth() / (".b.json.tmp-" + std::to_string(::getpid()) + "-1-7"), "{}");  // a previous life of our pid
    writeText(t.auth() / ".c.json.tmp-1x-0-1", "keep");
    writeText(t.outside() / "target", "TARGET");
    fs::create_symlink(t.outside() / "target", t.auth() / ".d.json.tmp-99999999-0-1");
    dir.writeAtomic("e.json", "{}");  // leaves no temp file of its own

    auto removed = dir.removeStaleTemps();
    std::sort(removed.begin(), removed.end());
    EXPECT_EQ(removed, (std::vector<std::string>{".a.json.tmp-99999999-0-42",
                                                 ".b.json.tmp-" + std::to_string(::getpid()) + "-1-7"}));
    EXPECT_FALSE(fs::exists(t.auth() / ".a.json.tmp-99999999-0-42"));
    EXPECT_EQ(readText(t.auth() / ".c.json.tmp-1x-0-1"), "keep");
    EXPECT_TRUE(fs::is_symlink(t.auth() / ".d.json.tmp-99999999-0-1"));
    EXPECT_EQ(readText(t.outside() / "target"), "TARGET");
    EXPECT_EQ(readText(t.auth() / "e.json"), "{}");
}

TEST(AuthDirOps, HostileNamesTouchNothing) {
    TempTree t;
    writeText(t.outside() / "x.json", "KEEP");
    writeText(t.root / "x.json", "KEEP");
    AuthDir dir(t.auth());
    for (const std::string& n : std::vector<std::string>{"../x.json", "../outside/x.json", (t.outside() / "x.json").string(), "a\\..\\x.json",
                          std::string("x.json\0.txt", 11), std::string(300, 'x') + ".json"}) {
        EXPECT_NE(dir.read(n).error, FileError::None) << n;
        EXPECT_NE(dir.remove(n), FileError::None) << n;
        EXPECT_THROW(dir.writeAtomic(n, "{}"), std::runtime_error) << n;
    }
    EXPECT_EQ(readText(t.outside() / "x.json"), "KEEP");
    EXPECT_EQ(readText(t.root / "x.json"), "KEEP");
    EXPECT_TRUE(fs::is_empty(t.auth()));
}

TEST(AuthDirOps, ListSkipsDirectoriesHiddenAndNonJson) {
    TempTree t;
    writeText(t.auth() / "b.json", "{}");
    writeText(t.auth() / "A.JSON", "{}");
    writeText(t.auth() / "notes.txt", "x");
    writeText(t.auth() / ".hidden.json", "{}");
    fs::create_directories(t.auth() / "sub.json");
    AuthDir dir(t.auth());
    auto files = dir.listJson();
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0].name, "A.JSON");
    EXPECT_EQ(files[1].name, "b.json");
    EXPECT_EQ(dir.remove("sub.json"), FileError::NotRegular);
    EXPECT_TRUE(fs::is_directory(t.auth() / "sub.json"));
}
