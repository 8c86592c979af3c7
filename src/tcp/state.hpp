// The eleven states of RFC 9293 §3.3.2. A listening socket is LISTEN; a passive open waits in a request entry
// (SYN_RECEIVED, tcp/request.hpp) and a closed connection in a time-wait entry (tcp/time_wait.hpp), as in Linux.
#pragma once

#include <cstdint>
#include <string_view>

namespace synack::tcp {

enum class State : std::uint8_t {
    kClosed,
    kListen,
    kSynSent,
    kSynReceived,
    kEstablished,
    kFinWait1,
    kFinWait2,
    kCloseWait,
    kClosing,
    kLastAck,
    kTimeWait,
};

constexpr std::string_view to_string(State s) noexcept {
    switch (s) {
        case State::kClosed: return "CLOSED";
        case State::kListen: return "LISTEN";
        case State::kSynSent: return "SYN_SENT";
        case State::kSynReceived: return "SYN_RECEIVED";
        case State::kEstablished: return "ESTABLISHED";
        case State::kFinWait1: return "FIN_WAIT_1";
        case State::kFinWait2: return "FIN_WAIT_2";
        case State::kCloseWait: return "CLOSE_WAIT";
        case State::kClosing: return "CLOSING";
        case State::kLastAck: return "LAST_ACK";
        case State::kTimeWait: return "TIME_WAIT";
    }
    return "?";
}

// RFC 9293 §3.3.2: every state from ESTABLISHED on has exchanged SYNs both ways.
constexpr bool is_synchronized(State s) noexcept {
    return s != State::kClosed && s != State::kListen && s != State::kSynSent && s != State::kSynReceived;
}

}  // namespace synack::tcp
