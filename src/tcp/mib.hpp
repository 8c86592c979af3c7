// The counters of one stack, each under the name Linux prints: /proc/net/snmp ("Ip:", "Tcp:"), /proc/net/snmp6
// ("Ip6…") and /proc/net/netstat ("TcpExt:"). TCP is the stack's only transport, so its MIB is the stack's MIB.
// Every counter only grows, except CurrEstab, which Linux keeps as a gauge (ESTABLISHED + CLOSE_WAIT sockets).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace synack::tcp {

// X(enumerator, group, name as Linux prints it)
#define SYNACK_MIB_COUNTERS(X)                                          \
    X(kIpInReceives, "Ip", "InReceives")                               \
    X(kIpInHdrErrors, "Ip", "InHdrErrors")                             \
    X(kIpInAddrErrors, "Ip", "InAddrErrors")                           \
    X(kIpInUnknownProtos, "Ip", "InUnknownProtos")                     \
    X(kIpInDiscards, "Ip", "InDiscards")                               \
    X(kIpInDelivers, "Ip", "InDelivers")                               \
    X(kIpOutRequests, "Ip", "OutRequests")                             \
    X(kIpOutNoRoutes, "Ip", "OutNoRoutes")                             \
    X(kIpReasmFails, "Ip", "ReasmFails")                               \
    X(kIp6InReceives, "Ip6", "Ip6InReceives")                          \
    X(kIp6InHdrErrors, "Ip6", "Ip6InHdrErrors")                        \
    X(kIp6InAddrErrors, "Ip6", "Ip6InAddrErrors")                      \
    X(kIp6InUnknownProtos, "Ip6", "Ip6InUnknownProtos")                \
    X(kIp6InTruncatedPkts, "Ip6", "Ip6InTruncatedPkts")                \
    X(kIp6InDiscards, "Ip6", "Ip6InDiscards")                          \
    X(kIp6InDelivers, "Ip6", "Ip6InDelivers")                          \
    X(kIp6OutRequests, "Ip6", "Ip6OutRequests")                        \
    X(kIp6OutNoRoutes, "Ip6", "Ip6OutNoRoutes")                        \
    X(kIp6ReasmFails, "Ip6", "Ip6ReasmFails")                          \
    X(kActiveOpens, "Tcp", "ActiveOpens")                              \
    X(kPassiveOpens, "Tcp", "PassiveOpens")                            \
    X(kAttemptFails, "Tcp", "AttemptFails")                            \
    X(kEstabResets, "Tcp", "EstabResets")                              \
    X(kCurrEstab, "Tcp", "CurrEstab")                                  \
    X(kInSegs, "Tcp", "InSegs")                                        \
    X(kOutSegs, "Tcp", "OutSegs")                                      \
    X(kRetransSegs, "Tcp", "RetransSegs")                              \
    X(kInErrs, "Tcp", "InErrs")                                        \
    X(kOutRsts, "Tcp", "OutRsts")                                      \
    X(kInCsumErrors, "Tcp", "InCsumErrors")                            \
    X(kEmbryonicRsts, "TcpExt", "EmbryonicRsts")                       \
    X(kTimeWaited, "TcpExt", "TW")                                     \
    X(kTimeWaitRecycled, "TcpExt", "TWRecycled")                       \
    X(kTimeWaitKilled, "TcpExt", "TWKilled")                           \
    X(kPawsActive, "TcpExt", "PAWSActive")                             \
    X(kPawsEstab, "TcpExt", "PAWSEstab")                               \
    X(kBeyondWindow, "TcpExt", "BeyondWindow")                         \
    X(kTsEcrRejected, "TcpExt", "TSEcrRejected")                       \
    X(kPawsOldAck, "TcpExt", "PAWSOldAck")                             \
    X(kPawsTimewait, "TcpExt", "PAWSTimewait")                         \
    X(kDelayedAcks, "TcpExt", "DelayedACKs")                           \
    X(kDelayedAckLost, "TcpExt", "DelayedACKLost")                     \
    X(kListenOverflows, "TcpExt", "ListenOverflows")                   \
    X(kListenDrops, "TcpExt", "ListenDrops")                           \
    X(kTcpLossFailures, "TcpExt", "TCPLossFailures")                   \
    X(kTcpTimeouts, "TcpExt", "TCPTimeouts")                           \
    X(kTcpAbortOnData, "TcpExt", "TCPAbortOnData")                     \
    X(kTcpAbortOnClose, "TcpExt", "TCPAbortOnClose")                   \
    X(kTcpAbortOnTimeout, "TcpExt", "TCPAbortOnTimeout")               \
    X(kTcpAbortOnLinger, "TcpExt", "TCPAbortOnLinger")                 \
    X(kTcpTimeWaitOverflow, "TcpExt", "TCPTimeWaitOverflow")           \
    X(kTcpOfoQueue, "TcpExt", "TCPOFOQueue")                           \
    X(kTcpOfoDrop, "TcpExt", "TCPOFODrop")                             \
    X(kTcpChallengeAck, "TcpExt", "TCPChallengeACK")                   \
    X(kTcpSynChallenge, "TcpExt", "TCPSYNChallenge")                   \
    X(kTcpSynRetrans, "TcpExt", "TCPSynRetrans")                       \
    X(kTcpOrigDataSent, "TcpExt", "TCPOrigDataSent")                   \
    X(kTcpAckSkippedSynRecv, "TcpExt", "TCPACKSkippedSynRecv")         \
    X(kTcpAckSkippedPaws, "TcpExt", "TCPACKSkippedPAWS")               \
    X(kTcpAckSkippedSeq, "TcpExt", "TCPACKSkippedSeq")                 \
    X(kTcpAckSkippedFinWait2, "TcpExt", "TCPACKSkippedFinWait2")       \
    X(kTcpAckSkippedTimeWait, "TcpExt", "TCPACKSkippedTimeWait")       \
    X(kTcpAckSkippedChallenge, "TcpExt", "TCPACKSkippedChallenge")     \
    X(kTcpZeroWindowDrop, "TcpExt", "TCPZeroWindowDrop")               \
    X(kTcpRcvQDrop, "TcpExt", "TCPRcvQDrop")                           \
    X(kTcpKeepAlive, "TcpExt", "TCPKeepAlive")                         \
    X(kTcpWinProbe, "TcpExt", "TCPWinProbe")                           \
    X(kTcpTimeoutRehash, "TcpExt", "TcpTimeoutRehash")                 \
    X(kTcpDelivered, "TcpExt", "TCPDelivered")                         \
    X(kTcpFastRetrans, "TcpExt", "TCPFastRetrans")                     \
    X(kTcpSlowStartRetrans, "TcpExt", "TCPSlowStartRetrans")           \
    X(kTcpLostRetransmit, "TcpExt", "TCPLostRetransmit")               \
    X(kTcpSackRecovery, "TcpExt", "TCPSackRecovery")                   \
    X(kTcpRenoRecovery, "TcpExt", "TCPRenoRecovery")                   \
    X(kTcpSackReorder, "TcpExt", "TCPSACKReorder")                     \
    X(kTcpRenoReorder, "TcpExt", "TCPRenoReorder")                     \
    X(kTcpDsackRecv, "TcpExt", "TCPDSACKRecv")                         \
    X(kTcpDsackOfoRecv, "TcpExt", "TCPDSACKOfoRecv")                   \
    X(kTcpSackReneging, "TcpExt", "TCPSACKReneging")

enum class Counter : std::uint16_t {
#define SYNACK_MIB_ENUM(e, group, name) e,
    SYNACK_MIB_COUNTERS(SYNACK_MIB_ENUM)
#undef SYNACK_MIB_ENUM
    kCount
};

struct CounterName {
    std::string_view group;  // "Ip", "Ip6", "Tcp" or "TcpExt"
    std::string_view name;   // as /proc prints it
};

constexpr CounterName counter_name(Counter c) noexcept {
    constexpr std::array<CounterName, static_cast<std::size_t>(Counter::kCount)> kNames = {{
#define SYNACK_MIB_NAME(e, group, name) {group, name},
        SYNACK_MIB_COUNTERS(SYNACK_MIB_NAME)
#undef SYNACK_MIB_NAME
    }};
    return kNames[static_cast<std::size_t>(c)];
}

class Mib {
public:
    void inc(Counter c, std::uint64_t n = 1) noexcept { v_[index(c)] += n; }
    void dec(Counter c) noexcept { --v_[index(c)]; }  // CurrEstab only
    std::uint64_t get(Counter c) const noexcept { return v_[index(c)]; }

private:
    static constexpr std::size_t index(Counter c) noexcept { return static_cast<std::size_t>(c); }
    std::array<std::uint64_t, static_cast<std::size_t>(Counter::kCount)> v_{};
};

}  // namespace synack::tcp
