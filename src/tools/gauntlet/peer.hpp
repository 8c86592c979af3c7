// One of the gauntlet's two applications, written against the socket facade (api/socket_api.hpp) as a program
// is written against Linux's sockets: non-blocking, acting on poll()'s readiness. It sends its stream in writes
// of random sizes while reading the other side's stream in reads of random sizes, checking every byte as it
// arrives (StreamVerifier). Its socket has SO_KEEPALIVE (idle 300 s, probes every 75 s, 9 of them), as a program
// that must not wait for ever on a dead peer has: after the other side gave up without a word (a timeout sends no
// reset), a side with nothing left to send learns it from its probes. When its writes are done it calls
// shutdown(SHUT_WR) — at once, or, when the scenario says the other side half-closes first, only after it has
// read the end of the other's stream — reads until the end of the stream, and closes. An error from any call
// ends it: it closes and keeps the errno.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/socket_api.hpp"
#include "device/sim_random.hpp"
#include "tools/gauntlet/scenario.hpp"
#include "tools/gauntlet/stream.hpp"

namespace synack::tools::gauntlet {

class Peer {
public:
    enum class Role : std::uint8_t { kClient, kServer };

    // `me`: what this side sends (and its call sizes); `peer`: what the other side sends (what this side checks).
    // `shutdown_after_eof`: wait for the other side's end of stream before shutdown(SHUT_WR).
    Peer(Role role, api::SocketApi& api, const SideScenario& me, const SideScenario& peer, bool shutdown_after_eof,
         bool keepalive = true);

    // The client: socket() and connect() (EINPROGRESS). The server: socket(), bind(), listen().
    // False (with error()) when a call fails.
    bool start(int family, const api::SockAddr& address, Instant now);

    // Acts on the socket's readiness now: accepts, completes the connect, writes, reads, shuts down, closes.
    // True when it called into the stack (the caller then wakes the network: the calls may have set timers).
    bool service(Instant now);

    // The server still waiting for a connection (the client's handshake gave up): close the listener.
    void abandon(Instant now);

    bool done() const noexcept { return closed_; }
    bool failed() const noexcept { return error_ != api::Errno::kOk; }
    api::Errno error() const noexcept { return error_; }
    // The call that failed, e.g. "recv"; empty if none.
    const std::string& failed_call() const noexcept { return failed_call_; }
    bool connected() const noexcept { return connected_; }
    bool saw_eof() const noexcept { return eof_; }
    std::uint64_t sent() const noexcept { return sent_; }
    const StreamVerifier& verifier() const noexcept { return verifier_; }
    // A line on where it stands, for a failure's report: "sent 10/20 B, received 5/7 B, ESTABLISHED, …".
    std::string status() const;

private:
    bool set_options(int fd, Instant now);
    bool accept_connection(Instant now);
    bool finish_connect(Instant now);
    void write_some(Instant now);
    void read_some(Instant now);
    void fail(const char* call, api::Errno e, Instant now);
    void close_all(Instant now);
    std::uint32_t draw_size(std::uint32_t max) noexcept { return 1 + static_cast<std::uint32_t>(random_.below(max)); }

    Role role_;
    api::SocketApi& api_;
    SideScenario me_;
    StreamPattern pattern_;
    StreamVerifier verifier_;
    bool shutdown_after_eof_;
    bool keepalive_;
    device::SimRandom random_;

    int listen_fd_ = -1;
    int fd_ = -1;
    bool connected_ = false;
    bool shut_wr_ = false;
    bool eof_ = false;
    bool closed_ = false;
    api::Errno error_ = api::Errno::kOk;
    std::string failed_call_;
    std::uint64_t sent_ = 0;

    // The outgoing stream's bytes [chunk_offset_, chunk_offset_ + chunk_.size()), kept between writes so a
    // partly accepted write does not regenerate them.
    std::vector<std::uint8_t> chunk_;
    std::uint64_t chunk_offset_ = 0;
    std::vector<std::uint8_t> read_buffer_;
};

}  // namespace synack::tools::gauntlet
