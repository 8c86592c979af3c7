#include "tools/drill/linux_netns.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

extern char** environ;

namespace synack::drill {

Result<void, std::string> run_program(const std::vector<std::string>& argv) {
    std::string command;
    for (const std::string& word : argv) {
        command += (command.empty() ? "" : " ") + word;
    }
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        return Err{command + ": pipe: " + std::strerror(errno)};
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const std::string& word : argv) {
        args.push_back(const_cast<char*>(word.c_str()));  // NOLINT: posix_spawnp's signature, not modified
    }
    args.push_back(nullptr);
    pid_t pid = 0;
    int spawn_error = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (spawn_error != 0) {
        ::close(pipe_fds[0]);
        return Err{command + ": " + std::strerror(spawn_error)};
    }
    std::string error_text;
    char buffer[512];
    for (;;) {
        ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
        if (n > 0) {
            error_text.append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
            break;
        }
    }
    ::close(pipe_fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        return {};
    }
    std::string first_line = error_text.substr(0, error_text.find('\n'));
    if (first_line.empty()) {
        first_line = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status)) : "killed by a signal";
    }
    return Err{command + ": " + first_line};
}

void remove_abandoned_namespaces(const std::string& prefix) {
    DIR* dir = ::opendir("/run/netns");
    if (dir == nullptr) {
        return;
    }
    std::vector<std::string> abandoned;
    while (const dirent* entry = ::readdir(dir)) {
        std::string name = entry->d_name;
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) {
            continue;
        }
        std::string digits = name.substr(prefix.size());
        if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) {
            continue;
        }
        pid_t owner = static_cast<pid_t>(std::strtol(digits.c_str(), nullptr, 10));
        if (owner > 0 && ::kill(owner, 0) != 0 && errno == ESRCH) {
            abandoned.push_back(name);
        }
    }
    ::closedir(dir);
    for (const std::string& name : abandoned) {
        (void)run_program({"ip", "netns", "delete", name});
    }
}

// ---- NetNamespace ----

Result<NetNamespace, std::string> NetNamespace::create(const std::string& name) {
    std::string path = "/run/netns/" + name;
    if (::access(path.c_str(), F_OK) == 0) {
        return Err{"network namespace " + name + " exists already (left by an earlier run? `ip netns delete " + name +
                   "`)"};
    }
    if (auto added = run_program({"ip", "netns", "add", name}); !added) {
        return Err{added.error()};
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int error = errno;
        (void)run_program({"ip", "netns", "delete", name});
        return Err{"open " + path + ": " + std::strerror(error)};
    }
    return NetNamespace(name, fd);
}

NetNamespace::NetNamespace(NetNamespace&& other) noexcept
    : name_(std::move(other.name_)), fd_(std::exchange(other.fd_, -1)) {}

NetNamespace& NetNamespace::operator=(NetNamespace&& other) noexcept {
    if (this != &other) {
        remove();
        name_ = std::move(other.name_);
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

NetNamespace::~NetNamespace() { remove(); }

void NetNamespace::remove() noexcept {
    if (fd_ < 0) {
        return;
    }
    ::close(fd_);
    fd_ = -1;
    if (auto deleted = run_program({"ip", "netns", "delete", name_}); !deleted) {
        std::fprintf(stderr, "synack drill: %s\n", deleted.error().c_str());
    }
}

// ---- NamespaceVisit ----

Result<NamespaceVisit, std::string> NamespaceVisit::enter(int namespace_fd) {
    int home = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (home < 0) {
        return Err{std::string("open /proc/thread-self/ns/net: ") + std::strerror(errno)};
    }
    if (::setns(namespace_fd, CLONE_NEWNET) != 0) {
        int error = errno;
        ::close(home);
        return Err{std::string("setns: ") +
                   (error == EPERM ? std::string("needs root (CAP_SYS_ADMIN)") : std::strerror(error))};
    }
    return NamespaceVisit(home);
}

NamespaceVisit::NamespaceVisit(NamespaceVisit&& other) noexcept : home_fd_(std::exchange(other.home_fd_, -1)) {}

NamespaceVisit& NamespaceVisit::operator=(NamespaceVisit&& other) noexcept {
    if (this != &other) {
        leave();
        home_fd_ = std::exchange(other.home_fd_, -1);
    }
    return *this;
}

NamespaceVisit::~NamespaceVisit() { leave(); }

void NamespaceVisit::leave() noexcept {
    if (home_fd_ < 0) {
        return;
    }
    if (::setns(home_fd_, CLONE_NEWNET) != 0) {
        std::fprintf(stderr, "synack drill: setns back to the original network namespace: %s\n", std::strerror(errno));
    }
    ::close(home_fd_);
    home_fd_ = -1;
}

}  // namespace synack::drill
