#pragma once
// Shared pieces of the oauth-files suite: a server with cpa_oauth.so and an
// auth dir outside its working directory, and small file/JSON helpers.
#include "integration_support.hpp"

#include <Poco/JSON/Array.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

namespace cpa::test {

inline const HeaderList kMgmt = {{"Authorization", "Bearer oauth-files-secret"}};
inline const std::string kM = "/v0/management";

/// Owns the auth dir (and a sibling "outside" dir) and the server.
struct OAuthServer {
    TempDir root{"cpa-oauth-files"};
    std::filesystem::path auth;
    std::filesystem::path outside;
    std::unique_ptr<ServerProcess> server;

    explicit OAuthServer(const std::string& extraConfig = "", bool start = true) {
        auth = root.path() / "auth";
        outside = root.path() / "outside";
        std::filesystem::create_directories(auth);
        std::filesystem::create_directories(outside);
        config = extraConfig;
        if (start) this->start();
    }
    void start() {
        ServerProcessOptions o;
        o.configText = loopbackConfig("remote-management:\n  secret-key: \"oauth-files-secret\"\nauth-dir: \"" +
                                      auth.string() + "\"\n" + config);
        o.modulesDir = kModulesDir;
        server = std::make_unique<ServerProcess>(std::move(o));
    }
    HttpResponse call(const std::string& method, const std::string& path, const std::string& body = {},
                      HeaderList extra = {}) {
        HeaderList h = kMgmt;
        h.insert(h.end(), extra.begin(), extra.end());
        return httpRequest(server->port(), method, kM + path, h, body);
    }
    void put(const std::string& name, const std::string& text) const { write(auth / name, text); }
    static void write(const std::filesystem::path& p, const std::string& text) {
        std::ofstream(p, std::ios::binary) << text;
    }
    std::string config;
};

inline std::string fileText(const std::filesystem::path& p) { return readFile(p); }

inline unsigned fileMode(const std::filesystem::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return 0;
    return st.st_mode & 0777;
}

/// The files array of GET /auth-files.
inline Poco::JSON::Array::Ptr listFiles(OAuthServer& s) {
    auto r = s.call("GET", "/auth-files");
    if (r.status != 200) throw std::runtime_error("GET /auth-files: " + std::to_string(r.status) + " " + r.body);
    return jsonObject(r.body)->getArray("files");
}

/// Names listed by GET /auth-files, in order.
inline std::vector<std::string> listedNames(OAuthServer& s) {
    std::vector<std::string> out;
    auto files = listFiles(s);
    for (std::size_t i = 0; i < files->size(); ++i) out.push_back(files->getObject(i)->getValue<std::string>("name"));
    return out;
}

/// A multipart/form-data body; each part is {field, filename ("" = plain field), content}.
struct Part {
    std::string field, filename, content;
};
inline std::pair<std::string, HeaderList> multipart(const std::vector<Part>& parts) {
    const std::string boundary = "cpaBoundary7MA4YWxkTrZu0gW";
    std::string body;
    for (const Part& p : parts) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.field + "\"";
        if (!p.filename.empty()) body += "; filename=\"" + p.filename + "\"";
        body += "\r\n";
        if (!p.filename.empty()) body += "Content-Type: application/json\r\n";
        body += "\r\n" + p.content + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    return {body, {{"Content-Type", "multipart/form-data; boundary=" + boundary}}};
}

}  // namespace cpa::test
