#pragma once
// Background tasks of the login flows (callback waits, token exchanges,
// device polling). Every thread is joined by stopAll(), so none outlives the
// module's library (architecture §1.5).
#include <chrono>
#include <condition_variable>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

namespace cpa::oauth::login {

class TaskRunner {
public:
    TaskRunner() = default;
    ~TaskRunner();
    TaskRunner(const TaskRunner&) = delete;
    TaskRunner& operator=(const TaskRunner&) = delete;

    /// Runs `task` on its own thread; exceptions are swallowed (logged by the
    /// caller's task). Returns false (task not run) after stopAll().
    bool spawn(std::function<void()> task);
    /// Sleeps up to `d`; false when stopping.
    bool sleepFor(std::chrono::milliseconds d);
    bool stopping() const;
    /// Wakes sleepers and joins every thread. Idempotent.
    void stopAll() noexcept;

private:
    struct Slot {
        std::thread thread;
        bool done{};
    };
    void reapLocked();

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::list<std::shared_ptr<Slot>> slots_;
    bool stopping_{};
};

}  // namespace cpa::oauth::login
