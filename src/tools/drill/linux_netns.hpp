// Network namespaces for the linux backend (tools/drill/linux_backend.hpp): a named namespace as `ip netns add`
// makes it (a bind mount under /run/netns, so `ip netns list` shows it and `ip -n NAME` reaches it), and a
// thread's visit to one. setns(2) moves only the calling thread: every thread that makes sockets for a script
// enters the namespace itself.
#pragma once

#include <string>
#include <vector>

#include "wire/result.hpp"

namespace synack::drill {

// Runs argv (argv[0] looked up in PATH) and waits for it. Errors name the program and carry its stderr's first
// line, or its exit status.
Result<void, std::string> run_program(const std::vector<std::string>& argv);

// Deletes the namespaces named `prefix` + <pid> whose process is gone (killed before it could clean up): the
// naming convention says which process owns each one, so a live owner's namespace is never touched.
void remove_abandoned_namespaces(const std::string& prefix);

class NetNamespace {
public:
    // `ip netns add NAME`, then opens /run/netns/NAME. Fails if the name exists already.
    static Result<NetNamespace, std::string> create(const std::string& name);

    NetNamespace(NetNamespace&& other) noexcept;
    NetNamespace& operator=(NetNamespace&& other) noexcept;
    NetNamespace(const NetNamespace&) = delete;
    NetNamespace& operator=(const NetNamespace&) = delete;
    ~NetNamespace();

    const std::string& name() const noexcept { return name_; }
    int fd() const noexcept { return fd_; }  // for setns(fd, CLONE_NEWNET)

    // `ip netns delete NAME`: the namespace goes away once no thread, socket or device holds it any more.
    void remove() noexcept;

private:
    NetNamespace(std::string name, int fd) noexcept : name_(std::move(name)), fd_(fd) {}

    std::string name_;
    int fd_ = -1;
};

// The calling thread inside a namespace until leave() (or destruction) moves it back where it was.
class NamespaceVisit {
public:
    static Result<NamespaceVisit, std::string> enter(int namespace_fd);

    NamespaceVisit(NamespaceVisit&& other) noexcept;
    NamespaceVisit& operator=(NamespaceVisit&& other) noexcept;
    NamespaceVisit(const NamespaceVisit&) = delete;
    NamespaceVisit& operator=(const NamespaceVisit&) = delete;
    ~NamespaceVisit();

    bool active() const noexcept { return home_fd_ >= 0; }
    // Back to the namespace the thread was in before enter(). Must run on the same thread.
    void leave() noexcept;

private:
    explicit NamespaceVisit(int home_fd) noexcept : home_fd_(home_fd) {}

    int home_fd_ = -1;  // the thread's namespace before enter()
};

}  // namespace synack::drill
