#include "file_only_guard.hpp"

#include <crypt.h>
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace cpa::config {
namespace {

using sdk::Value;

std::string bcrypt(const std::string& plain, const char* prefix = "$2b$") {
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn(prefix, 4, nullptr, 0, salt, sizeof salt)) throw std::runtime_error("gensalt");
    auto data = std::make_unique<crypt_data>();
    std::memset(data.get(), 0, sizeof(crypt_data));
    const char* out = crypt_rn(plain.c_str(), salt, data.get(), sizeof(crypt_data));
    if (!out || out[0] == '*') throw std::runtime_error("crypt");
    return out;
}

Value doc(Value allowRemote, Value secret) {
    Value rm = Value::object();
    if (!allowRemote.isNull()) rm.set("allow-remote", allowRemote);
    if (!secret.isNull()) rm.set("secret-key", secret);
    return Value::object({{"port", 8317}, {"remote-management", rm}});
}

TEST(BcryptMatches, AcceptsEveryBcryptPrefixAndRejectsWrongKeys) {
    for (const char* prefix : {"$2a$", "$2b$", "$2y$"}) {
        const std::string h = bcrypt("open sesame", prefix);
        EXPECT_TRUE(bcryptMatches("open sesame", h)) << prefix;
        EXPECT_FALSE(bcryptMatches("open sesame!", h)) << prefix;
    }
    EXPECT_FALSE(bcryptMatches("x", "plain-text"));
    EXPECT_FALSE(bcryptMatches("x", "$2b$"));
}

TEST(FileOnlySettings, UnchangedBlockIsKept) {
    const std::string h = bcrypt("k");
    EXPECT_TRUE(keepsFileOnlySettings(doc(false, h), doc(false, h)));
    EXPECT_TRUE(keepsFileOnlySettings(doc(true, h), doc(true, h)));
    // Absent allow-remote equals false.
    EXPECT_TRUE(keepsFileOnlySettings(doc(Value(), h), doc(false, h)));
    EXPECT_TRUE(keepsFileOnlySettings(Value::object(), Value::object({{"debug", true}})));
}

TEST(FileOnlySettings, ThePlaintextOfTheCurrentSecretIsAccepted) {
    const std::string h = bcrypt("the-secret");
    EXPECT_TRUE(keepsFileOnlySettings(doc(false, h), doc(false, "the-secret")));
    EXPECT_FALSE(keepsFileOnlySettings(doc(false, h), doc(false, "another-secret")));
}

TEST(FileOnlySettings, ChangesAreRefused) {
    const std::string h = bcrypt("k");
    EXPECT_FALSE(keepsFileOnlySettings(doc(false, h), doc(true, h)));
    EXPECT_FALSE(keepsFileOnlySettings(doc(true, h), doc(Value(), h)));
    EXPECT_FALSE(keepsFileOnlySettings(doc(false, h), doc(false, Value())));   // secret removed
    EXPECT_FALSE(keepsFileOnlySettings(doc(false, h), doc(false, "")));        // secret emptied
    EXPECT_FALSE(keepsFileOnlySettings(doc(false, h), doc(false, bcrypt("k"))));  // another hash, even of the same key
    EXPECT_FALSE(keepsFileOnlySettings(doc(false, Value()), doc(false, "new")));  // secret added
    EXPECT_FALSE(keepsFileOnlySettings(doc(false, h), Value::object()));
}

}  // namespace
}  // namespace cpa::config
