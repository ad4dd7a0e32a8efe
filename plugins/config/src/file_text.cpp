#include "file_text.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sys/stat.h>

namespace cpa::config {

FileText readFileText(const std::string& path) {
    FileText out;
    auto fail = [&](int err) {
        out.status = (err == ENOENT || err == ENOTDIR) ? FileText::Status::Missing : FileText::Status::Failed;
        out.error = std::strerror(err);
        out.text.clear();
        return out;
    };
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) return fail(errno);
    struct stat st {};
    if (::fstat(::fileno(f.get()), &st) == 0 && S_ISDIR(st.st_mode)) return fail(EISDIR);
    char buf[65536];
    while (true) {
        const std::size_t n = std::fread(buf, 1, sizeof buf, f.get());
        out.text.append(buf, n);
        if (n < sizeof buf) {
            if (std::ferror(f.get())) return fail(errno != 0 ? errno : EIO);
            break;
        }
    }
    return out;
}

}  // namespace cpa::config
