// POST /vertex/import with a service-account key generated for the test.
#include "oauth_files_support.hpp"

#include <gtest/gtest.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

using namespace cpa::test;

namespace {

// A fresh RSA key as a PKCS#8 "PRIVATE KEY" PEM block.
std::string pkcs8Key() {
    EVP_PKEY* key = EVP_RSA_gen(1024);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    EVP_PKEY_free(key);
    return pem;
}

std::string jsonString(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '"')
            out += "\\\"";
        else
            out += c;
    }
    return out + "\"";
}

}  // namespace

TEST(OAuthVertexImport, WritesTheCredentialAndValidates) {
    OAuthServer s;
    std::string pem = pkcs8Key();
    // CRLF line ends are normalised away.
    std::string crlf;
    for (char c : pem) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    const std::string sa = R"({"type":"service_account","project_id":"my project/x","client_email":"svc@p.iam",)"
                           R"("private_key":)" + jsonString(crlf) + "}";
    auto [body, headers] = multipart({{"file", "sa.json", sa}, {"location", "", "europe-west4"}});
    auto r = s.call("POST", "/vertex/import", body, headers);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto path = s.auth / "vertex-my-project_x.json";
    EXPECT_EQ(r.body, R"({"auth-file":")" + path.string() +
                          R"(","email":"svc@p.iam","location":"europe-west4","project_id":"my project/x","status":"ok"})");
    EXPECT_EQ(fileMode(path), 0600u);
    auto saved = jsonObject(fileText(path));
    EXPECT_EQ(saved->getValue<std::string>("type"), "vertex");
    EXPECT_EQ(saved->getValue<std::string>("location"), "europe-west4");
    const std::string key = saved->getObject("service_account")->getValue<std::string>("private_key");
    EXPECT_EQ(key.rfind("-----BEGIN RSA PRIVATE KEY-----\n", 0), 0u) << key;
    EXPECT_EQ(key.find('\r'), std::string::npos);
    const std::string text = fileText(path);
    EXPECT_LT(text.find("\"service_account\""), text.find("\"project_id\": \"my project/x\""));
    // Registered at once.
    EXPECT_EQ(listedNames(s), std::vector<std::string>{"vertex-my-project_x.json"});

    // Query location, default location.
    std::tie(body, headers) = multipart({{"file", "sa.json", sa}});
    r = s.call("POST", "/vertex/import?location=asia-east1", body, headers);
    EXPECT_NE(r.body.find("\"location\":\"asia-east1\""), std::string::npos);
    r = s.call("POST", "/vertex/import", body, headers);
    EXPECT_NE(r.body.find("\"location\":\"us-central1\""), std::string::npos);

    struct Case {
        std::string content;
        std::string reply;
    };
    for (const Case& c : std::vector<Case>{
             {"{oops", R"("error":"invalid json")"},
             {R"({"project_id":"p"})", R"({"error":"invalid service account","message":"service account missing private_key"})"},
             {R"({"project_id":"p","private_key":"garbage"})",
              R"({"error":"invalid service account","message":"private_key is not valid pem: missing pem markers"})"},
             {R"({"private_key":)" + jsonString(pem) + "}", R"({"error":"project_id missing"})"}}) {
        std::tie(body, headers) = multipart({{"file", "sa.json", c.content}});
        r = s.call("POST", "/vertex/import", body, headers);
        EXPECT_EQ(r.status, 400) << c.content;
        EXPECT_NE(r.body.find(c.reply), std::string::npos) << r.body;
    }
    std::tie(body, headers) = multipart({{"other", "sa.json", sa}});
    r = s.call("POST", "/vertex/import", body, headers);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"file required"})");
    r = s.call("POST", "/vertex/import", sa, {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"file required"})");
    EXPECT_EQ(listedNames(s), std::vector<std::string>{"vertex-my-project_x.json"});
}
