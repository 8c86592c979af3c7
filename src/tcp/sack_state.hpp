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
    // The rate sample (Linux struct rate_sample via tcp_rate_skb_delivered()): the delivered count when the most
    // recently sent of the segments this ACK delivered went out (0: none yet).
    std::uint32_t prior_delivered = 0;
    std::uint64_t rate_xmit_us = 0;
    Seq32 rate_end_seq{};

    // Linux tcp_rate_skb_delivered(): remember the most recently sent segment delivered.
    void rate_delivered(const TxRecord& r) noexcept {
        if (rate_xmit_us == 0 || r.xmit_us > rate_xmit_us ||
            (r.xmit_us == rate_xmit_us && wire::after(r.end_seq(), rate_end_seq))) {
            prior_delivered = r.tx_delivered;
            rate_xmit_us = r.xmit_us;
            rate_end_seq = r.end_seq();
        }
    }
};

}  // namespace synack::tcp
