// Connection::SackState: what the SACK blocks of one ACK did to the scoreboard (Linux struct
// tcp_sacktag_state), shared by the ACK processing (conn_ack.cpp) and the scoreboard (conn_sack.cpp).
#pragma once

#include "tcp/connection.hpp"

namespace synack::tcp {

struct Connection::SackState {
    std::uint32_t flag = 0;            // ack_flag::k*
    Seq32 reord{};                     // the lowest never-retransmitted sequence newly (S)ACKed below a SACK
    std::uint64_t first_sackt = 0;     // send times of the first and last never-retransmitted segments SACKed
    std::uint64_t last_sackt = 0;      //   (0: none), for RTT samples
    std::uint32_t sack_delivered = 0;  // segments newly SACKed
    std::uint32_t prior_delivered = 0;
};

}  // namespace synack::tcp
