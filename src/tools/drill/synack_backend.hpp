// The synack backend of `synack drill`: one stack::Stack in virtual time behind api::SocketApi. No root, no
// device, no real clock: time moves only in wait(), straight to the stack's next timer or the runner's deadline.
//
// The stack has one interface, "tun0" with the script's MTU, holding local_ip/prefix_len, and a default route
// through gateway_ip (IPv4, or IPv6 for --ip_version=ipv6). Every packet it transmits is recorded with the virtual
// time it left and reported by wait() in order. Sockets are non-blocking underneath (SocketApi); a call on a
// blocking socket that would block returns std::nullopt from call() and is retried whenever SocketApi's readiness
// callback says one of the sockets changed, finishing as Linux's blocking call would (a Happening::kCallDone).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/socket_api.hpp"
#include "stack/config.hpp"
#include "stack/packet_sink.hpp"
#include "stack/stack.hpp"
#include "tools/drill/backend.hpp"

namespace synack::drill {

class SynackBackend final : public Backend {
public:
    static constexpr std::uint64_t kDefaultSeed = 0x5eed'd411'0000'0001;

    explicit SynackBackend(std::uint64_t seed = kDefaultSeed);
    ~SynackBackend() override;
    SynackBackend(const SynackBackend&) = delete;
    SynackBackend& operator=(const SynackBackend&) = delete;

    std::string description() const override { return "synack"; }
    Result<void, std::string> start(const NetworkSettings& network) override;
    void finish() override;
    // Through stack/sysctl_table.hpp, on the running stack (sysctls change at run time, as in Linux). Before
    // start() it changes the configuration the next start() uses; finish() returns it to Linux's defaults.
    SettingOutcome set_sysctl(std::string_view name, std::string_view value) override;
    Usecs now() override { return now_; }
    Result<void, std::string> inject(wire::Bytes packet) override;
    std::optional<CallOutcome> call(const Call& call) override;
    Happening wait(Usecs deadline) override;
    std::optional<tcp::TcpInfo> tcp_info(int fd) override;

    // For tests: the stack and facade of the running script (null outside start()/finish()).
    stack::Stack* stack() noexcept { return stack_.get(); }
    api::SocketApi* sockets() noexcept { return api_.get(); }

private:
    class Recorder;

    // A call waiting for its socket, and what it has done so far.
    struct Blocked {
        Call call;
        std::optional<Usecs> until;   // poll(): when its timeout ends
        std::int64_t written = 0;     // write family: bytes queued so far (a blocking send queues them all)
    };

    Instant instant() const noexcept;
    // Closes the script's sockets and removes the stack; the configuration stays.
    void teardown();
    void watch(int fd);
    // Makes `c` once, without blocking: SocketApi's answer.
    CallOutcome attempt(const Call& c, std::int64_t already_written = 0);
    // Whether a call with this outcome, on this socket, would block in Linux.
    bool would_block(const Call& c, const CallOutcome& outcome) const;
    // Tries the blocked call again; true when it finished (outcome in done_).
    bool retry();
    void complete(CallOutcome outcome);

    std::uint64_t seed_;
    stack::StackConfig config_;           // what the next start() builds the stack with
    std::unique_ptr<Recorder> recorder_;
    std::unique_ptr<stack::Stack> stack_;
    std::unique_ptr<api::SocketApi> api_;
    stack::InterfaceId interface_ = 0;
    Usecs now_ = 0;
    std::optional<Blocked> blocked_;
    std::optional<Happening> done_;       // the blocked call's end, reported after the packets before it
    bool changed_ = false;                // a socket's readiness changed since the blocked call was last tried
};

}  // namespace synack::drill
