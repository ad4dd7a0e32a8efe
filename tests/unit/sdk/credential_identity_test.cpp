// Expected hashes were computed independently with Python's hashlib from the
// rules in data-plane §4.1 / management-api-core App. B.
#include <cpa/sdk/credential_identity.hpp>

#include <gtest/gtest.h>

using namespace cpa::sdk;

TEST(CredentialIdentity, FileAuthIndexHashesTheFileSeed) {
    EXPECT_EQ(fileAuthIndex("alpha.json"), "dc4974f2e4f6ede0");
    EXPECT_EQ(authIndexFromSeed("file:alpha.json").size(), 16u);
}

TEST(CredentialIdentity, GeneratorSuffixesRepeatsWithinOnePass) {
    CredentialIdGenerator ids;
    EXPECT_EQ(ids.next("claude:apikey", {"dup", ""}).id, "claude:apikey:c872d2b5308a");
    auto second = ids.next("claude:apikey", {" dup ", ""});  // parts are trimmed
    EXPECT_EQ(second.id, "claude:apikey:c872d2b5308a-1");
    EXPECT_EQ(second.token, "c872d2b5308a-1");
    CredentialIdGenerator fresh;
    EXPECT_EQ(fresh.next("claude:apikey", {"dup", ""}).token, "c872d2b5308a");
}
