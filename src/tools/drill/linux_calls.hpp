// The linux backend's system calls (tools/drill/linux_backend.hpp): a script's Call made on the running kernel,
// with the script's descriptor numbers translated to the kernel's.
#pragma once

#include <map>
#include <mutex>
#include <vector>

#include "tools/drill/call.hpp"

namespace synack::drill {

// Script descriptors ↔ kernel descriptors. The process's own descriptors are not 3, 4, …, so each socket the
// kernel hands out gets the lowest script number free from 3 up — the number Linux gives it in a fresh process,
// which is what scripts expect. Safe to use from several threads.
class FdTable {
public:
    // A number no descriptor has: unknown script fds become it, so the kernel answers EBADF (POLLNVAL for poll).
    static constexpr int kNoDescriptor = 0x3fffffff;

    // The kernel's descriptor for `script_fd`; negative numbers pass unchanged (poll ignores them, the other calls
    // answer EBADF), unknown ones become kNoDescriptor.
    int to_kernel(int script_fd) const;
    // Records a new kernel descriptor and returns its script number.
    int add(int kernel_fd);
    // Forgets `script_fd` (closed).
    void remove(int script_fd);
    // Forgets every descriptor and returns the kernel's numbers, for closing them.
    std::vector<int> take_all();
    std::vector<int> kernel_fds() const;

private:
    static constexpr int kFirstScriptFd = 3;
    mutable std::mutex mutex_;
    std::map<int, int> kernel_of_script_;
};

// Makes the call on the kernel now, in the calling thread's network namespace (blocking if the socket does).
// Written bytes are zeros; read bytes are thrown away. errno is Linux's own, as the script names it.
CallOutcome perform_call(const Call& call, FdTable& fds);

}  // namespace synack::drill
