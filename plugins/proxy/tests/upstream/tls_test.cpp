// TLS to the upstream: system CA store (here: SSL_CERT_FILE pointing at a
// certificate made for the test), SNI/host verification, keep-alive reuse,
// CONNECT tunnels through an HTTP proxy.
#include "loopback_proxy.hpp"
#include "upstream_test_support.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/TemporaryFile.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>

namespace cpa::proxy::testing {
namespace {

/// A self-signed EC certificate for IP 127.0.0.1, written as PEM files.
void makeCertificate(const std::string& keyPath, const std::string& certPath) {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    ASSERT_NE(key, nullptr);
    X509* cert = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600L * 24);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("cpa-test"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    for (const char* ext : {"subjectAltName", "basicConstraints"}) {
        X509_EXTENSION* e = X509V3_EXT_conf(nullptr, &ctx, ext,
                                            std::string(ext) == "subjectAltName" ? "IP:127.0.0.1" : "critical,CA:TRUE");
        X509_add_ext(cert, e, -1);
        X509_EXTENSION_free(e);
    }
    X509_sign(cert, key, EVP_sha256());
    FILE* kf = std::fopen(keyPath.c_str(), "w");
    PEM_write_PrivateKey(kf, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(kf);
    FILE* cf = std::fopen(certPath.c_str(), "w");
    PEM_write_X509(cf, cert);
    std::fclose(cf);
    X509_free(cert);
    EVP_PKEY_free(key);
}

/// Answers every request on each TLS connection with a small JSON body.
class TlsServer {
public:
    TlsServer(const std::string& key, const std::string& cert) {
        Poco::Net::initializeSSL();
        Poco::Net::Context::Ptr ctx =
            new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, key, cert, "", Poco::Net::Context::VERIFY_NONE);
        socket_ = std::make_unique<Poco::Net::SecureServerSocket>(Poco::Net::SocketAddress("127.0.0.1", 0), 64, ctx);
        thread_ = std::thread([this] { run(); });
    }
    ~TlsServer() {
        stop_ = true;
        thread_.join();
        for (auto& t : workers_) t.join();
    }
    int port() const { return socket_->address().port(); }
    int connections() const { return connections_; }
    int requests() const { return requests_; }

private:
    void run() {
        while (!stop_) {
            if (!socket_->poll(Poco::Timespan(0, 10000), Poco::Net::Socket::SELECT_READ)) continue;
            try {
                Poco::Net::StreamSocket s = socket_->acceptConnection();
                ++connections_;
                workers_.emplace_back([this, s]() mutable {
                    try {
                        serve(s);
                    } catch (const Poco::Exception&) {
                        // handshake refused by the client
                    }
                });
            } catch (const Poco::Exception&) {
            }
        }
    }
    void serve(Poco::Net::StreamSocket& s) {
        std::string in;
        char buf[4096];
        while (!stop_) {
            if (!s.poll(Poco::Timespan(0, 10000), Poco::Net::Socket::SELECT_READ) && s.impl()->available() == 0)
                continue;
            const int n = s.receiveBytes(buf, sizeof buf);
            if (n <= 0) return;
            in.append(buf, static_cast<std::size_t>(n));
            const auto end = in.find("\r\n\r\n");
            if (end == std::string::npos) continue;
            const auto cl = in.find("Content-Length: ");
            const std::size_t len = cl == std::string::npos ? 0 : std::stoul(in.substr(cl + 16));
            if (in.size() < end + 4 + len) continue;
            in.erase(0, end + 4 + len);
            ++requests_;
            const std::string reply =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"tls\":true}";
            s.sendBytes(reply.data(), static_cast<int>(reply.size()));
        }
    }

    std::unique_ptr<Poco::Net::SecureServerSocket> socket_;
    std::thread thread_;
    std::vector<std::thread> workers_;
    std::atomic<bool> stop_{false};
    std::atomic<int> connections_{0}, requests_{0};
};

TEST(UpstreamTls, VerifiesAgainstCaStoreAndReusesConnections) {
    Poco::TemporaryFile key, cert;
    makeCertificate(key.path(), cert.path());
    // The executor's TLS context loads the default CA paths once per process;
    // OpenSSL reads SSL_CERT_FILE at that moment.
    ::setenv("SSL_CERT_FILE", cert.path().c_str(), 1);
    TlsServer server(key.path(), cert.path());
    QuietLogger log;
    auto exec = makeHttpExecutor(log);
    RecordingSink sink;
    const auto cred = credential(sdk::wire::kOpenAIChat, "https://127.0.0.1:" + std::to_string(server.port()));
    for (int i = 0; i < 3; ++i) {
        const auto res = exec->execute(request(ClientFormat::OpenAIChat, cred, "{}"), sink);
        ASSERT_TRUE(res.ok) << res.errorMessage;
        EXPECT_EQ(res.responseBody, "{\"tls\":true}");
    }
    EXPECT_EQ(server.requests(), 3);
    EXPECT_EQ(server.connections(), 1);

    // An http:// proxy in front of an https:// upstream tunnels with CONNECT (data-plane.md §7.1).
    LoopbackProxy proxy(LoopbackProxy::Mode::Connect);
    auto viaProxy = request(ClientFormat::OpenAIChat, cred, "{}");
    viaProxy.globalProxyUrl = "http://bob:pw@127.0.0.1:" + std::to_string(proxy.port());
    const auto tunnelled = exec->execute(viaProxy, sink);
    ASSERT_TRUE(tunnelled.ok) << tunnelled.errorMessage;
    ASSERT_EQ(proxy.targets().size(), 1u);
    EXPECT_EQ(proxy.targets()[0], "127.0.0.1:" + std::to_string(server.port()));
    EXPECT_EQ(proxy.authHeaders()[0], "Basic Ym9iOnB3");  // bob:pw
    EXPECT_EQ(server.requests(), 4);
    EXPECT_EQ(server.connections(), 2);  // the tunnel is its own pooled connection

    // The certificate names 127.0.0.1 only: "localhost" must fail verification.
    const auto wrongHost = credential(sdk::wire::kOpenAIChat, "https://localhost:" + std::to_string(server.port()));
    const auto res = exec->execute(request(ClientFormat::OpenAIChat, wrongHost, "{}"), sink);
    EXPECT_FALSE(res.ok);
    EXPECT_EQ(res.errorCode, "connect");
    EXPECT_NE(res.errorMessage.find("ertificate"), std::string::npos) << res.errorMessage;
    EXPECT_EQ(server.requests(), 4);
}

}  // namespace
}  // namespace cpa::proxy::testing
