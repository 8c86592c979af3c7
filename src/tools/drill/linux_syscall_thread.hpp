// The linux backend's system-call thread (tools/drill/linux_backend.hpp): script calls run on it so that one that
// blocks (accept() on an empty queue, a read with nothing to read) leaves the runner free to inject the packets
// that will finish it. The thread lives inside the script's network namespace. A call not finished within the
// patience given is "blocked"; when it does finish, event_fd() becomes readable and take_finished() hands over its
// outcome and the time it returned.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <sys/types.h>

#include "tools/drill/call.hpp"
#include "wire/result.hpp"

namespace synack::drill {

// CLOCK_MONOTONIC in µs: the linux backend's clock, and when a blocked call returned.
std::int64_t monotonic_usecs();

class SyscallThread {
public:
    struct Finished {
        CallOutcome outcome;
        std::int64_t at_usecs = 0;  // CLOCK_MONOTONIC, µs
    };

    // Starts the thread; it enters the network namespace `namespace_fd` (setns) before taking any call.
    static Result<std::unique_ptr<SyscallThread>, std::string> start(int namespace_fd);
    ~SyscallThread();
    SyscallThread(const SyscallThread&) = delete;
    SyscallThread& operator=(const SyscallThread&) = delete;

    // Readable once a blocked call has finished (an eventfd).
    int event_fd() const noexcept { return event_fd_; }
    // A call is running (blocked, if run() already returned).
    bool busy() const;

    // Runs `job` on the thread: its outcome when it finishes, else std::nullopt once the thread sleeps in the
    // call (state 'S' in /proc: the kernel put it to wait for the socket, as packetdrill detects a blocked call)
    // or `patience` has passed; the outcome then comes through take_finished(). Only when !busy().
    std::optional<CallOutcome> run(std::function<CallOutcome()> job, std::chrono::microseconds patience);
    // The blocked call that finished since, if any (clears event_fd()).
    std::optional<Finished> take_finished();

    // Interrupts a blocked call (a signal: the call returns EINTR) and joins the thread. Also the destructor.
    void stop() noexcept;

private:
    SyscallThread();
    void main();

    mutable std::mutex mutex_;
    std::condition_variable work_ready_;
    std::condition_variable work_done_;
    std::function<CallOutcome()> job_;
    bool has_job_ = false;
    bool busy_ = false;
    bool caller_gave_up_ = false;  // run() returned nullopt: report the end through event_fd_
    pid_t tid_ = 0;                // the thread's id, for /proc/self/task/<tid>/stat
    bool stopping_ = false;
    std::optional<Finished> finished_;
    int event_fd_ = -1;
    std::thread thread_;
};

}  // namespace synack::drill
