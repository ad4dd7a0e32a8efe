#include <cpa/sdk/testing/fake_context.hpp>

#include <cpa/sdk/credential_sources.hpp>

#include <stdexcept>

namespace cpa::sdk::testing {

// ---- FakeServices ----

void FakeServices::provideAs(std::string id, std::type_index type, std::shared_ptr<void> service) {
    table_.provide(std::move(id), type, std::move(service));
}

std::shared_ptr<void> FakeServices::findAs(std::string_view id, std::type_index type) const {
    return table_.find(id, type);
}

std::vector<std::string> FakeServices::ids() const { return table_.ids(); }

// ---- FakeEvents ----

std::shared_ptr<void> FakeEvents::subscribe(std::string topic, Listener listener) {
    auto slot = std::make_shared<Slot>(Slot{std::move(topic), std::move(listener)});
    std::lock_guard lock(mutex_);
    slots_.push_back(slot);
    return slot;
}

void FakeEvents::publish(std::string_view topic, const Value& record) {
    std::vector<std::shared_ptr<Slot>> targets;
    {
        std::lock_guard lock(mutex_);
        published_.push_back(Published{std::string(topic), record});
        std::vector<std::weak_ptr<Slot>> kept;
        for (auto& w : slots_) {
            if (auto s = w.lock()) {
                if (s->topic == topic) targets.push_back(s);
                kept.push_back(w);
            }
        }
        slots_ = std::move(kept);
    }
    std::size_t errors = 0;
    for (const auto& s : targets) {
        try {
            s->listener(record);
        } catch (...) {
            ++errors;
        }
    }
    if (errors) {
        std::lock_guard lock(mutex_);
        listenerErrors_ += errors;
    }
}

std::vector<FakeEvents::Published> FakeEvents::published() const {
    std::lock_guard lock(mutex_);
    return published_;
}

std::vector<Value> FakeEvents::publishedOn(std::string_view topic) const {
    std::lock_guard lock(mutex_);
    std::vector<Value> out;
    for (const auto& p : published_) {
        if (p.topic == topic) out.push_back(p.record);
    }
    return out;
}

std::size_t FakeEvents::listenerErrors() const {
    std::lock_guard lock(mutex_);
    return listenerErrors_;
}

std::size_t FakeEvents::subscriberCount(std::string_view topic) const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& w : slots_) {
        const auto s = w.lock();
        n += s && s->topic == topic;
    }
    return n;
}

void FakeEvents::clear() {
    std::lock_guard lock(mutex_);
    published_.clear();
    listenerErrors_ = 0;
}

// ---- FakeLogger ----

std::string_view levelName(LogLevel level) noexcept {
    switch (level) {
    case LogLevel::Debug: return "DEBUG";
    case LogLevel::Info: return "INFO";
    case LogLevel::Warning: return "WARNING";
    case LogLevel::Error: return "ERROR";
    }
    return "UNKNOWN";
}

void FakeLogger::log(LogLevel level, std::string_view message) {
    std::lock_guard lock(mutex_);
    lines_.push_back(Line{level, std::string(message)});
}

std::vector<FakeLogger::Line> FakeLogger::lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
}

bool FakeLogger::contains(std::string_view needle) const {
    std::lock_guard lock(mutex_);
    for (const auto& l : lines_) {
        if (l.message.find(needle) != std::string::npos) return true;
    }
    return false;
}

std::size_t FakeLogger::count(LogLevel level) const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& l : lines_) n += l.level == level ? 1 : 0;
    return n;
}

std::string FakeLogger::text() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& l : lines_) {
        out += levelName(l.level);
        out += ' ';
        out += l.message;
        out += '\n';
    }
    return out;
}

void FakeLogger::clear() {
    std::lock_guard lock(mutex_);
    lines_.clear();
}

// ---- FakeContext ----

FakeContext::FakeContext() : FakeContext(Value::object()) {}

FakeContext::FakeContext(Value configRoot) : config_(std::move(configRoot)) {
    const std::string root = "/nonexistent/cpa-fake";
    paths_.configFile = root + "/config.yaml";
    paths_.configDir = root;
    paths_.authDir = root + "/auth";
    paths_.logDir = root + "/logs";
    paths_.dataDir = root + "/data";
    paths_.modulesDir = root + "/modules";
    build_.version = "0.0.0-test";
    build_.commit = "test";
    build_.buildDate = "1970-01-01T00:00:00Z";
    services_.provide(kCredentialSourcesService, makeCredentialSources());
}

FakeContext::~FakeContext() = default;

}  // namespace cpa::sdk::testing
