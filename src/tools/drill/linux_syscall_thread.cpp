#include "tools/drill/linux_syscall_thread.hpp"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <cstdio>
#include <future>

#include <fcntl.h>

namespace synack::drill {

namespace {

// The signal that interrupts a blocked call in stop(): its handler does nothing and is installed without
// SA_RESTART, so the call returns EINTR.
int interrupt_signal() { return SIGRTMIN + 4; }

void ignore_signal(int /*signal*/) {}

void install_interrupt_handler() {
    static const bool installed = [] {
        struct sigaction current {};
        if (::sigaction(interrupt_signal(), nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
            struct sigaction action {};
            action.sa_handler = ignore_signal;
            sigemptyset(&action.sa_mask);
            action.sa_flags = 0;  // no SA_RESTART
            ::sigaction(interrupt_signal(), &action, nullptr);
        }
        return true;
    }();
    (void)installed;
}

}  // namespace

std::int64_t monotonic_usecs() {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return std::int64_t{now.tv_sec} * 1'000'000 + now.tv_nsec / 1000;
}

SyscallThread::SyscallThread() = default;

Result<std::unique_ptr<SyscallThread>, std::string> SyscallThread::start(int namespace_fd) {
    install_interrupt_handler();
    std::unique_ptr<SyscallThread> self(new SyscallThread());
    self->event_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (self->event_fd_ < 0) {
        return Err{std::string("eventfd: ") + std::strerror(errno)};
    }
    std::promise<std::string> entered;
    std::future<std::string> entered_result = entered.get_future();
    SyscallThread* raw = self.get();
    // The thread owns the promise: set_value() may still be running in it when get() returns here.
    self->thread_ = std::thread([raw, namespace_fd, entered = std::move(entered)]() mutable {
        if (::setns(namespace_fd, CLONE_NEWNET) != 0) {
            entered.set_value(std::string("setns in the system-call thread: ") + std::strerror(errno));
            return;
        }
        entered.set_value(std::string());
        raw->main();
    });
    std::string error = entered_result.get();
    if (!error.empty()) {
        self->thread_.join();
        return Err{error};
    }
    return self;
}

SyscallThread::~SyscallThread() {
    stop();
    if (event_fd_ >= 0) {
        ::close(event_fd_);
    }
}

// The scheduler state of a thread of this process ('R' running, 'S' sleeping interruptibly, 'D' ...), from
// /proc/self/task/<tid>/stat: the field after the parenthesised command name.
static char thread_state(pid_t tid) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/task/%d/stat", static_cast<int>(tid));
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return '?';
    char text[256];
    const ssize_t n = ::read(fd, text, sizeof text - 1);
    ::close(fd);
    if (n <= 0) return '?';
    text[n] = '\0';
    const char* paren = std::strrchr(text, ')');
    return paren != nullptr && paren[1] == ' ' ? paren[2] : '?';
}

void SyscallThread::main() {
    std::unique_lock lock(mutex_);
    tid_ = ::gettid();
    for (;;) {
        work_ready_.wait(lock, [this] { return has_job_ || stopping_; });
        if (stopping_) {
            has_job_ = false;  // a job handed over but not begun is dropped
            busy_ = false;
            work_done_.notify_all();
            return;
        }
        std::function<CallOutcome()> job = std::move(job_);
        has_job_ = false;
        lock.unlock();
        CallOutcome outcome = job();
        std::int64_t at = monotonic_usecs();
        lock.lock();
        finished_ = Finished{std::move(outcome), at};
        busy_ = false;
        if (caller_gave_up_) {
            std::uint64_t one = 1;
            (void)!::write(event_fd_, &one, sizeof one);
        }
        work_done_.notify_all();
    }
}

bool SyscallThread::busy() const {
    std::lock_guard lock(mutex_);
    return busy_;
}

std::optional<CallOutcome> SyscallThread::run(std::function<CallOutcome()> job, std::chrono::microseconds patience) {
    std::unique_lock lock(mutex_);
    job_ = std::move(job);
    has_job_ = true;
    busy_ = true;
    caller_gave_up_ = false;
    finished_.reset();
    work_ready_.notify_one();
    // Look every 50 µs: done, or taken and asleep in the kernel (a wait on the socket sleeps interruptibly;
    // locks and page faults sleep in 'D').
    const auto give_up = std::chrono::steady_clock::now() + patience;
    for (;;) {
        if (work_done_.wait_for(lock, std::chrono::microseconds(50), [this] { return !busy_; })) {
            CallOutcome outcome = std::move(finished_->outcome);
            finished_.reset();
            return outcome;
        }
        if (!has_job_) {
            // Read the state without the lock: the thread may be about to take it to report its outcome.
            lock.unlock();
            const char state = thread_state(tid_);
            lock.lock();
            if (busy_ && state == 'S') break;
        }
        if (busy_ && std::chrono::steady_clock::now() >= give_up) break;
    }
    caller_gave_up_ = true;
    return std::nullopt;
}

std::optional<SyscallThread::Finished> SyscallThread::take_finished() {
    std::uint64_t count = 0;
    (void)!::read(event_fd_, &count, sizeof count);
    std::lock_guard lock(mutex_);
    if (!caller_gave_up_ || !finished_) {
        return std::nullopt;
    }
    caller_gave_up_ = false;
    std::optional<Finished> finished = std::move(finished_);
    finished_.reset();
    return finished;
}

void SyscallThread::stop() noexcept {
    if (!thread_.joinable()) {
        return;
    }
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        work_ready_.notify_one();
    }
    // A call blocked in the kernel does not see stopping_: interrupt it until it returns.
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (!busy_ && !has_job_) {
                break;
            }
        }
        ::pthread_kill(thread_.native_handle(), interrupt_signal());
        std::unique_lock lock(mutex_);
        work_done_.wait_for(lock, std::chrono::milliseconds(5), [this] { return !busy_; });
    }
    thread_.join();
}

}  // namespace synack::drill
