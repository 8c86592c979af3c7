// What one ACK did, as Linux's tcp_ack() collects it in `flag` (net/ipv4/tcp_input.c FLAG_*): the input of the
// recovery state machine (tcp_fastretrans_alert()) and of congestion control.
#pragma once

#include <cstdint>

namespace synack::tcp::ack_flag {

inline constexpr std::uint32_t kData = 0x01;              // the segment carried data
inline constexpr std::uint32_t kWinUpdate = 0x02;         // it updated the send window
inline constexpr std::uint32_t kDataAcked = 0x04;         // it ACKed new data
inline constexpr std::uint32_t kRetransDataAcked = 0x08;  // … some of which had been retransmitted
inline constexpr std::uint32_t kSynAcked = 0x10;          // it ACKed our SYN
inline constexpr std::uint32_t kDataSacked = 0x20;        // it SACKed new data
inline constexpr std::uint32_t kLostRetrans = 0x80;       // a retransmission was found lost
inline constexpr std::uint32_t kOrigSackAcked = 0x200;    // never-retransmitted data below high_seq (S)ACKed
inline constexpr std::uint32_t kSndUnaAdvanced = 0x400;   // SND.UNA moved
inline constexpr std::uint32_t kDsackingAck = 0x800;      // it carried a D-SACK
inline constexpr std::uint32_t kSetXmitTimer = 0x1000;    // the retransmission timer is to be re-armed
inline constexpr std::uint32_t kSackReneging = 0x2000;    // the receiver dropped data it had SACKed
inline constexpr std::uint32_t kAckMaybeDelayed = 0x10000;  // likely a delayed ACK (no min-RTT sample)

inline constexpr std::uint32_t kAcked = kDataAcked | kSynAcked;
inline constexpr std::uint32_t kNotDup = kData | kWinUpdate | kAcked;
inline constexpr std::uint32_t kCaAlert = kDataSacked | kDsackingAck;  // (and ECE, which synack does not do)
inline constexpr std::uint32_t kForwardProgress = kAcked | kDataSacked;

}  // namespace synack::tcp::ack_flag
