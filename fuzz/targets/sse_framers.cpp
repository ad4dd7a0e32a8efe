// An upstream's SSE bytes through the line splitter and a client format's
// stream framer. Byte 0 picks the client format, byte 1 the provider family
// and the Gemini alt mode, byte 2 where the bytes are cut into reads; the
// rest is the upstream's stream. Translation framers join this table as
// they are added.
#include "upstream/stream_framer.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

using cpa::proxy::ClientFormat;
using cpa::proxy::upstream::Family;

constexpr ClientFormat kFormats[] = {ClientFormat::OpenAIChat, ClientFormat::OpenAICompletions,
                                     ClientFormat::Responses,  ClientFormat::ResponsesCompact,
                                     ClientFormat::Claude,     ClientFormat::ClaudeCountTokens,
                                     ClientFormat::Gemini};
constexpr Family kFamilies[] = {Family::OpenAICompat, Family::Codex, Family::Claude, Family::Gemini, Family::Vertex};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return 0;
    const ClientFormat format = kFormats[data[0] % std::size(kFormats)];
    const Family family = kFamilies[(data[1] & 0x7f) % std::size(kFamilies)];
    const bool alt = (data[1] & 0x80) != 0;
    const std::size_t cut = 1 + data[2];  // read sizes, as a socket would split them
    std::string_view stream(reinterpret_cast<const char*>(data + 3), size - 3);

    auto framer = cpa::proxy::upstream::makeFramer(format, family, alt);
    cpa::proxy::upstream::LineSplitter splitter(4096);  // a small limit reaches the overflow path
    cpa::proxy::upstream::EventQueue events;
    // As the stream pump: nothing reaches the framer after a fatal line.
    const auto onLine = [&](std::string_view line) {
        if (framer->fatalStatus == 0) framer->line(line, events);
    };
    bool ok = true;
    while (!stream.empty() && ok) {
        const std::string_view piece = stream.substr(0, cut);
        stream.remove_prefix(piece.size());
        ok = splitter.feed(piece, onLine);
        events.clear();
    }
    if (ok) {
        splitter.finish(onLine);
        if (framer->fatalStatus != 0) framer->flushBeforeError(events);
        else framer->finish(events);
    }
    return 0;
}
