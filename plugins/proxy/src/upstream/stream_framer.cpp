#include "upstream/stream_framer.hpp"

namespace cpa::proxy::upstream {

namespace {
std::string_view trimView(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}
}  // namespace

bool LineSplitter::feed(std::string_view bytes, const std::function<void(std::string_view)>& onLine) {
    std::size_t start = 0;
    while (start < bytes.size()) {
        const auto nl = bytes.find('\n', start);
        if (nl == std::string_view::npos) {
            pending_.append(bytes.substr(start));
            return pending_.size() <= max_;
        }
        std::string_view piece = bytes.substr(start, nl - start);
        start = nl + 1;
        if (!pending_.empty()) {
            pending_.append(piece);
            std::string_view line = pending_;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            onLine(line);
            pending_.clear();
        } else {
            if (!piece.empty() && piece.back() == '\r') piece.remove_suffix(1);
            onLine(piece);
        }
    }
    return true;
}

void LineSplitter::finish(const std::function<void(std::string_view)>& onLine) {
    if (pending_.empty()) return;
    std::string_view line = pending_;
    if (line.back() == '\r') line.remove_suffix(1);
    onLine(line);
    pending_.clear();
}

bool dataPayload(std::string_view line, std::string_view& payload) {
    if (line.substr(0, 5) != "data:") return false;
    payload = trimView(line.substr(5));
    return true;
}

}  // namespace cpa::proxy::upstream
