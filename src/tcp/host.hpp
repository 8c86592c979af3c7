// What a connection needs from the stack that owns it: settings, counters, buffers, randomness, a way out for
// its segments, and someone to tell about state changes, readiness, drops and timers. The stack implements it;
// the unit tests implement it with a recorder.
#pragma once

#include <cstdint>

#include "tcp/buffer_pool.hpp"
#include "tcp/drop_reason.hpp"
#include "tcp/mib.hpp"
#include "tcp/out_segment.hpp"
#include "tcp/state.hpp"
#include "tcp/sysctl.hpp"
#include "wire/instant.hpp"

namespace synack::tcp {

class Connection;

// Which of a connection's timers fired (trace only: the connection multiplexes them on one deadline).
enum class TimerKind : std::uint8_t {
    kRetransmit,   // RTO: SYN, data or FIN retransmission
    kZeroWindowProbe,
    kDelayedAck,
    kKeepalive,
    kFinWait2,     // an orphaned FIN_WAIT_2 gave up waiting for the peer's FIN
    kSynAck,       // request entry: SYN-ACK retransmission
    kTimeWait,     // time-wait entry expired
};

constexpr const char* to_string(TimerKind k) noexcept {
    switch (k) {
        case TimerKind::kRetransmit: return "retransmit";
        case TimerKind::kZeroWindowProbe: return "zero-window-probe";
        case TimerKind::kDelayedAck: return "delayed-ack";
        case TimerKind::kKeepalive: return "keepalive";
        case TimerKind::kFinWait2: return "fin-wait-2";
        case TimerKind::kSynAck: return "syn-ack";
        case TimerKind::kTimeWait: return "time-wait";
    }
    return "?";
}

// Readiness changes reported to the application (edge notifications; poll() gives the level).
namespace event {
inline constexpr std::uint8_t kReadable = 0x01;   // data, end of stream, or an error to read
inline constexpr std::uint8_t kWritable = 0x02;   // send buffer space
inline constexpr std::uint8_t kConnected = 0x04;  // the handshake completed (active open)
inline constexpr std::uint8_t kClosed = 0x08;     // the connection reached CLOSED (or TIME_WAIT)
inline constexpr std::uint8_t kError = 0x10;      // a pending error (take_error())
}  // namespace event

class Host {
public:
    virtual ~Host() = default;

    virtual const TcpSysctls& sysctls() const noexcept = 0;
    virtual Mib& mib() noexcept = 0;
    virtual BufferPool& buffers() noexcept = 0;
    virtual std::uint32_t random_u32() noexcept = 0;

    virtual void transmit(Connection& connection, const OutSegment& segment) = 0;
    virtual void state_changed(Connection& connection, State from, State to) = 0;
    virtual void notify(Connection& connection, std::uint8_t events) = 0;
    virtual void dropped(Connection& connection, DropReason reason) = 0;
    virtual void timer_fired(Connection& connection, TimerKind kind) = 0;
    // The host-wide RFC 5961 budget (Linux tcp_challenge_ack_limit per second): false skips this challenge ACK.
    virtual bool challenge_ack_allowed(Instant now) {
        (void)now;
        return true;
    }
};

}  // namespace synack::tcp
