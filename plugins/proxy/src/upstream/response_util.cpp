#include "upstream/response_util.hpp"

#include "upstream/header_list.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/text.hpp>

#include <Poco/DateTimeParser.h>
#include <Poco/InflatingStream.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace cpa::proxy::upstream {

namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::optional<std::string> inflate(const std::string& body, Poco::InflatingStreamBuf::StreamType type) {
    try {
        std::istringstream in(body);
        Poco::InflatingInputStream inflater(in, type);
        std::ostringstream out;
        out << inflater.rdbuf();
        return out.str();
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

std::string decompressBody(const std::string& body, const std::string& contentEncoding) {
    const std::string enc = sdk::lowerAscii(trim(contentEncoding));
    const bool gzipMagic = body.size() >= 2 && static_cast<unsigned char>(body[0]) == 0x1f &&
                           static_cast<unsigned char>(body[1]) == 0x8b;
    std::optional<std::string> out;
    if (enc == "gzip" || (enc.empty() && gzipMagic)) out = inflate(body, Poco::InflatingStreamBuf::STREAM_GZIP);
    else if (enc == "deflate") out = inflate(body, Poco::InflatingStreamBuf::STREAM_ZLIB);
    return out && !out->empty() ? *out : body;
}

HeaderList passthroughHeaders(const HeaderList& upstream) {
    static const char* const kDropped[] = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
                                           "te", "trailer", "transfer-encoding", "upgrade", "set-cookie",
                                           "content-length", "content-encoding"};
    static const char* const kPrefixes[] = {"x-litellm-", "helicone-", "x-portkey-", "cf-aig-", "x-kong-", "x-bt-"};
    std::vector<std::string> connectionNamed;
    {
        std::stringstream list(getHeader(upstream, "Connection"));
        for (std::string item; std::getline(list, item, ',');)
            if (!trim(item).empty()) connectionNamed.push_back(sdk::lowerAscii(trim(item)));
    }
    HeaderList out;
    for (const auto& [k, v] : upstream) {
        const std::string name = sdk::lowerAscii(k);
        if (std::any_of(std::begin(kDropped), std::end(kDropped), [&](const char* d) { return name == d; })) continue;
        if (std::any_of(std::begin(kPrefixes), std::end(kPrefixes),
                        [&](const char* p) { return name.rfind(p, 0) == 0; }))
            continue;
        if (std::find(connectionNamed.begin(), connectionNamed.end(), name) != connectionNamed.end()) continue;
        out.emplace_back(k, v);
    }
    return out;
}

void addMissing(HeaderList& headers, const HeaderList& extra) {
    const std::size_t original = headers.size();
    for (const auto& header : extra) {
        // Only names the proxy set itself are protected; repeated upstream values pass.
        // (A named pair, not a structured binding: clang 14 cannot capture those.)
        const bool setByProxy = std::any_of(headers.begin(), headers.begin() + static_cast<std::ptrdiff_t>(original),
                                            [&](const auto& h) { return cpa::sdk::iequals(h.first, header.first); });
        if (!setByProxy) headers.push_back(header);
    }
}

std::optional<std::chrono::seconds> parseRetryAfter(const std::string& value) {
    const std::string v = trim(value);
    if (v.empty()) return std::nullopt;
    if (std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); }) && v.size() < 10)
        return std::chrono::seconds(std::stoll(v));
    try {
        int tz = 0;
        const Poco::DateTime when = Poco::DateTimeParser::parse(v, tz);
        const auto diff = (when.timestamp() - Poco::Timestamp()) / Poco::Timestamp::resolution();
        return std::chrono::seconds(std::max<long long>(0, diff));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

HeaderList streamHeaders(bool geminiAltMode) {
    if (geminiAltMode) return {};
    return {{"Content-Type", "text/event-stream"},
            {"Cache-Control", "no-cache"},
            {"Connection", "keep-alive"},
            {"Access-Control-Allow-Origin", "*"}};
}

}  // namespace cpa::proxy::upstream

namespace cpa::proxy::upstream {

std::optional<std::chrono::seconds> codexRetryAfter(int status, const std::string& body, std::int64_t nowUnix) {
    if (status != 429) return std::nullopt;
    cpa::sdk::Value doc;
    try {
        doc = cpa::sdk::parseJson(body);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    const cpa::sdk::Value* err = doc.find("error");
    const cpa::sdk::Value* type = err ? err->find("type") : nullptr;
    if (!type || type->stringOr("") != "usage_limit_reached") return std::nullopt;
    const auto number = [err](const char* key) -> std::int64_t {
        const cpa::sdk::Value* v = err->find(key);
        return v && v->isNumber() ? static_cast<std::int64_t>(v->asDouble()) : 0;
    };
    if (const std::int64_t at = number("resets_at"); at > nowUnix) return std::chrono::seconds(at - nowUnix);
    if (const std::int64_t in = number("resets_in_seconds"); in > 0) return std::chrono::seconds(in);
    return std::nullopt;
}

}  // namespace cpa::proxy::upstream
