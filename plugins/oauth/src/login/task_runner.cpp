#include "login/task_runner.hpp"

namespace cpa::oauth::login {

TaskRunner::~TaskRunner() { stopAll(); }

void TaskRunner::reapLocked() {
    for (auto it = slots_.begin(); it != slots_.end();) {
        if ((*it)->done && (*it)->thread.joinable()) {
            (*it)->thread.join();
            it = slots_.erase(it);
        } else {
            ++it;
        }
    }
}

bool TaskRunner::spawn(std::function<void()> task) {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    reapLocked();
    auto slot = std::make_shared<Slot>();
    slot->thread = std::thread([this, slot, task = std::move(task)] {
        try {
            task();
        } catch (...) {
            // A thread entry must never let an exception escape.
        }
        std::lock_guard done(mutex_);
        slot->done = true;
    });
    slots_.push_back(std::move(slot));
    return true;
}

bool TaskRunner::sleepFor(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, d, [this] { return stopping_; });
}

bool TaskRunner::stopping() const {
    std::lock_guard lock(mutex_);
    return stopping_;
}

void TaskRunner::stopAll() noexcept {
    std::list<std::shared_ptr<Slot>> slots;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        slots.swap(slots_);
    }
    wake_.notify_all();
    for (auto& s : slots) {
        if (s->thread.joinable()) s->thread.join();
    }
}

}  // namespace cpa::oauth::login
