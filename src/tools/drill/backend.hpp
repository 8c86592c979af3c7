// The system under test, as the script runner sees it: a stack that takes injected IP packets and system calls
// and, in its own time, sends packets and finishes blocked calls. Two implementations: synack in virtual time
// (tools/drill/synack_backend.hpp) and the running Linux kernel through a TUN device in a network namespace
// (tools/drill/linux_backend.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tcp/tcp_info.hpp"
#include "tools/drill/call.hpp"
#include "tools/drill/network.hpp"
#include "tools/drill/script.hpp"
#include "wire/bytes.hpp"
#include "wire/result.hpp"

namespace synack::drill {

// The answer to a setting a script asks for (a sysctl).
struct SettingOutcome {
    enum class Status : std::uint8_t {
        kApplied,      // done
        kUnsupported,  // a name or value this backend does not implement: the script is skipped, not failed
        kInvalid,      // a value the reference kernel would refuse too: the script fails
    };
    Status status = Status::kApplied;
    std::string message;  // why, for kUnsupported and kInvalid
};

// Something the system under test did while the runner waited.
struct Happening {
    enum class Kind : std::uint8_t {
        kDeadline,  // nothing happened before the deadline; now() is the deadline
        kPacket,    // it sent `packet` (an IPv4 or IPv6 packet, no link header) at `at`
        kCallDone,  // the blocked call returned `outcome` at `at`
    };
    Kind kind = Kind::kDeadline;
    Usecs at = 0;
    std::vector<std::uint8_t> packet;
    CallOutcome outcome;
};

class Backend {
public:
    virtual ~Backend() = default;

    // "synack" or "linux 6.18.0-…" (uname -r).
    virtual std::string description() const = 0;

    // A fresh system under test for one script: an interface holding local_ip/prefix_len, a route to remote_ip
    // through gateway_ip, the MTU, Linux's compiled-in defaults for every setting (docs/linux-defaults.md), and
    // the clock at 0. Called once per script, after the previous script's finish().
    virtual Result<void, std::string> start(const NetworkSettings& network) = 0;
    // Ends the script: closes what the script left open and removes what start() made.
    virtual void finish() = 0;

    // "net.ipv4.tcp_timestamps", "1" (sysctl's names and value syntax; several numbers separated by spaces).
    virtual SettingOutcome set_sysctl(std::string_view name, std::string_view value) = 0;

    // Microseconds since start().
    virtual Usecs now() = 0;

    // Hands one IP packet to the stack under test, now. An error (the TUN device refused it) fails the script:
    // the packet the script meant never arrived.
    virtual Result<void, std::string> inject(wire::Bytes packet) = 0;

    // Makes the call now. std::nullopt: the call blocks (a blocking socket with nothing to do yet); it finishes
    // later as a Happening::kCallDone. At most one call is blocked at a time.
    virtual std::optional<CallOutcome> call(const Call& call) = 0;

    // Lets time run until `deadline` or until the system under test does something, whichever is first.
    // Packets sent during inject() or call() are reported by the next wait(), in the order they were sent.
    virtual Happening wait(Usecs deadline) = 0;

    // getsockopt(TCP_INFO) on `fd`, for %{ assert tcpi_… }% blocks; std::nullopt if fd is not a TCP socket.
    virtual std::optional<tcp::TcpInfo> tcp_info(int fd) = 0;
};

}  // namespace synack::drill
