#include "runtime/event_bus.hpp"

#include "runtime/logger.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <utility>
#include <vector>

namespace cpa::core {

struct EventBus::Subscriber {
    explicit Subscriber(Listener l) : listener(std::move(l)) {}
    Listener listener;
    std::atomic<bool> active{true};
    // Held shared while delivering, exclusively while unsubscribing.
    std::shared_mutex gate;
};

namespace {

using SubscriberPtr = std::shared_ptr<EventBus::Subscriber>;
using SubscriberList = std::vector<SubscriberPtr>;

// Subscribers this thread is delivering to right now, so that a listener may
// publish again or drop its own handle without self-deadlock.
thread_local std::vector<const EventBus::Subscriber*> tDelivering;

bool deliveringHere(const EventBus::Subscriber* s) {
    return std::find(tDelivering.begin(), tDelivering.end(), s) != tDelivering.end();
}

// Marks a subscriber dead and waits for other threads' deliveries to it.
void deactivate(EventBus::Subscriber& s) noexcept {
    s.active.store(false);
    if (deliveringHere(&s)) return;
    std::unique_lock wait(s.gate);
}

}  // namespace

struct EventBus::Shared {
    explicit Shared(std::shared_ptr<sdk::Logger> l) : logger(std::move(l)) {}
    std::shared_ptr<sdk::Logger> logger;
    mutable std::mutex mutex;
    // Copy-on-write lists: publishers hold a reference to an immutable list.
    std::map<std::string, std::shared_ptr<const SubscriberList>, std::less<>> topics;
    // Subscriptions in `topics`, changed under `mutex`; read without it by
    // hasSubscribers() for its fast "none at all" answer.
    std::atomic<std::size_t> total{0};

    void remove(const std::string& topic, const SubscriberPtr& s) noexcept {
        std::shared_ptr<const SubscriberList> old;
        try {
            std::lock_guard lock(mutex);
            const auto it = topics.find(topic);
            if (it != topics.end()) {
                old = it->second;
                auto next = std::make_shared<SubscriberList>(*old);
                const auto before = next->size();
                next->erase(std::remove(next->begin(), next->end(), s), next->end());
                total.fetch_sub(before - next->size());
                if (next->empty()) {
                    topics.erase(it);
                } else {
                    it->second = std::move(next);
                }
            }
        } catch (...) {
            // Out of memory copying the list: the inactive flag below still
            // keeps the listener from being called.
        }
        deactivate(*s);
    }
};

namespace {

// Ends the subscription when the last copy of the handle goes away.
struct Handle {
    std::weak_ptr<EventBus::Shared> bus;
    std::string topic;
    SubscriberPtr subscriber;

    ~Handle() {
        if (const auto shared = bus.lock()) {
            shared->remove(topic, subscriber);
        } else {
            deactivate(*subscriber);
        }
    }
};

struct DeliveringMark {
    explicit DeliveringMark(const EventBus::Subscriber* s) { tDelivering.push_back(s); }
    ~DeliveringMark() { tDelivering.pop_back(); }
    DeliveringMark(const DeliveringMark&) = delete;
    DeliveringMark& operator=(const DeliveringMark&) = delete;
};

void logListenerFailure(sdk::Logger& logger, std::string_view topic, const char* what) noexcept {
    try {
        logger.warning("event listener for '" + std::string(topic) + "' failed: " + what);
    } catch (...) {
        // Logging must not turn a swallowed listener failure into a new one.
    }
}

}  // namespace

EventBus::EventBus(std::shared_ptr<sdk::Logger> logger)
    : shared_(std::make_shared<Shared>(logger ? std::move(logger) : makeLogger("cpa.core"))) {}

EventBus::~EventBus() { clear(); }

std::shared_ptr<void> EventBus::subscribe(std::string topic, Listener listener) {
    if (!listener) throw std::invalid_argument("event listener for '" + topic + "' is empty");
    auto subscriber = std::make_shared<Subscriber>(std::move(listener));
    {
        std::lock_guard lock(shared_->mutex);
        auto& list = shared_->topics[topic];
        auto next = list ? std::make_shared<SubscriberList>(*list) : std::make_shared<SubscriberList>();
        next->push_back(subscriber);
        list = std::move(next);
        shared_->total.fetch_add(1);
    }
    auto handle = std::make_shared<Handle>();
    handle->bus = shared_;
    handle->topic = std::move(topic);
    handle->subscriber = std::move(subscriber);
    return handle;
}

void EventBus::publish(std::string_view topic, const sdk::Value& record) {
    std::shared_ptr<const SubscriberList> list;
    {
        std::lock_guard lock(shared_->mutex);
        const auto it = shared_->topics.find(topic);
        if (it == shared_->topics.end()) return;
        list = it->second;
    }
    for (const auto& s : *list) {
        const bool nested = deliveringHere(s.get());
        std::shared_lock<std::shared_mutex> gate;
        if (!nested) gate = std::shared_lock(s->gate);
        if (!s->active.load()) continue;
        const DeliveringMark mark(s.get());
        try {
            s->listener(record);
        } catch (const std::exception& e) {
            logListenerFailure(*shared_->logger, topic, e.what());
        } catch (...) {
            logListenerFailure(*shared_->logger, topic, "unknown exception");
        }
    }
}

bool EventBus::hasSubscribers(std::string_view topic) const {
    if (shared_->total.load() == 0) return false;
    std::lock_guard lock(shared_->mutex);
    return shared_->topics.find(topic) != shared_->topics.end();  // lists are never left empty
}

std::size_t EventBus::subscriberCount(std::string_view topic) const {
    std::lock_guard lock(shared_->mutex);
    const auto it = shared_->topics.find(topic);
    return it == shared_->topics.end() ? 0 : it->second->size();
}

void EventBus::clear() noexcept {
    decltype(shared_->topics) dropped;
    {
        std::lock_guard lock(shared_->mutex);
        dropped.swap(shared_->topics);
        shared_->total.store(0);
    }
    for (const auto& [topic, list] : dropped) {
        for (const auto& s : *list) deactivate(*s);
    }
}

}  // namespace cpa::core
