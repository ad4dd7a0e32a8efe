#pragma once
// Upstream SSE lines → client events, one framer per client format
// (data-plane §8.2, §8.6), collecting usage on the way (§10).
#include "exec/executor.hpp"
#include "upstream/request_builder.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::proxy::upstream {

/// Splits bytes into lines (LF or CRLF, the break removed). Lines longer than
/// the limit are an error (the original's scanner limit is 50 MiB).
class LineSplitter {
public:
    explicit LineSplitter(std::size_t maxLine = 50u << 20) : max_(maxLine) {}
    /// false when a line exceeded the limit.
    bool feed(std::string_view bytes, const std::function<void(std::string_view)>& onLine);
    /// Emits a last unterminated line, if any.
    void finish(const std::function<void(std::string_view)>& onLine);

private:
    std::size_t max_;
    std::string pending_;
};

/// Client events waiting to be written. clear() keeps the strings and their
/// capacity, so a framer that writes into next() allocates nothing per event
/// once the stream is warm.
class EventQueue {
public:
    /// A fresh (empty) event at the end of the queue.
    std::string& next() {
        if (used_ == items_.size()) items_.emplace_back();
        std::string& s = items_[used_++];
        s.clear();
        return s;
    }
    void push_back(std::string event) { next() = std::move(event); }
    template <class... Args>
    void emplace_back(Args&&... args) {
        next().assign(std::forward<Args>(args)...);
    }
    bool empty() const noexcept { return used_ == 0; }
    std::size_t size() const noexcept { return used_; }
    std::string* begin() noexcept { return items_.data(); }
    std::string* end() noexcept { return items_.data() + used_; }
    void clear() noexcept { used_ = 0; }

private:
    std::vector<std::string> items_;
    std::size_t used_{};
};

class StreamFramer {
public:
    virtual ~StreamFramer() = default;
    /// One upstream line; appends complete client events to `out`.
    virtual void line(std::string_view line, EventQueue& out) = 0;
    /// The upstream ended normally.
    virtual void finish(EventQueue& out) = 0;
    /// Before a terminal error event: emit what may still be emitted.
    virtual void flushBeforeError(EventQueue&) {}

    TokenUsage usage;
    /// Set when the stream must end with a terminal error (e.g. invalid JSON).
    int fatalStatus{};
    std::string fatalMessage;
};

std::unique_ptr<StreamFramer> makeFramer(ClientFormat format, Family family, bool geminiAltMode);

/// "data:" payload of a line with the prefix and surrounding white space removed; false if not a data line.
bool dataPayload(std::string_view line, std::string_view& payload);

/// data-plane.md §8.6 one chat chunk → a text_completion chunk; "" when it is dropped.
std::string chatChunkToCompletion(std::string_view chunkJson);
/// data-plane.md §8.6 a chat completion body → text_completion body (body unchanged if not JSON).
std::string chatBodyToCompletion(const std::string& body);

}  // namespace cpa::proxy::upstream
