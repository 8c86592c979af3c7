// Why a packet was dropped, named after Linux's skb drop reasons (include/net/dropreason-core.h: the name is the
// enumerator without SKB_DROP_REASON_). The stack counts every drop per reason and hands it to its trace sink.
// FRAG_UNSUPPORTED is synack's own: IP reassembly is a later issue.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace synack::tcp {

// X(enumerator, name)
#define SYNACK_DROP_REASONS(X)                                        \
    X(kNotSpecified, "NOT_SPECIFIED")                                 \
    X(kNoSocket, "NO_SOCKET")                                         \
    X(kPktTooSmall, "PKT_TOO_SMALL")                                  \
    X(kIpCsum, "IP_CSUM")                                             \
    X(kIpInHdr, "IP_INHDR")                                           \
    X(kOtherHost, "OTHERHOST")                                        \
    X(kIpNoProto, "IP_NOPROTO")                                       \
    X(kIpv6BadExtHdr, "IPV6_BAD_EXTHDR")                              \
    X(kFragUnsupported, "FRAG_UNSUPPORTED")                           \
    X(kIpOutNoRoutes, "IP_OUTNOROUTES")                               \
    X(kTcpCsum, "TCP_CSUM")                                           \
    X(kTcpFlags, "TCP_FLAGS")                                         \
    X(kTcpZeroWindow, "TCP_ZEROWINDOW")                               \
    X(kTcpOldData, "TCP_OLD_DATA")                                    \
    X(kTcpOverWindow, "TCP_OVERWINDOW")                               \
    X(kTcpOfoDrop, "TCP_OFO_DROP")                                    \
    X(kTcpOfoMerge, "TCP_OFOMERGE")                                   \
    X(kTcpRfc7323Paws, "TCP_RFC7323_PAWS")                            \
    X(kTcpRfc7323PawsAck, "TCP_RFC7323_PAWS_ACK")                     \
    X(kTcpRfc7323TwPaws, "TCP_RFC7323_TW_PAWS")                       \
    X(kTcpRfc7323Tsecr, "TCP_RFC7323_TSECR")                          \
    X(kTcpListenOverflow, "TCP_LISTEN_OVERFLOW")                      \
    X(kTcpReqQFullDrop, "TCP_REQQFULLDROP")                           \
    X(kTcpOldSequence, "TCP_OLD_SEQUENCE")                            \
    X(kTcpInvalidSequence, "TCP_INVALID_SEQUENCE")                    \
    X(kTcpInvalidEndSequence, "TCP_INVALID_END_SEQUENCE")             \
    X(kTcpInvalidAckSequence, "TCP_INVALID_ACK_SEQUENCE")             \
    X(kTcpReset, "TCP_RESET")                                         \
    X(kTcpInvalidSyn, "TCP_INVALID_SYN")                              \
    X(kTcpClose, "TCP_CLOSE")                                         \
    X(kTcpAbortOnData, "TCP_ABORT_ON_DATA")                           \
    X(kTcpOldAck, "TCP_OLD_ACK")                                      \
    X(kTcpTooOldAck, "TCP_TOO_OLD_ACK")                               \
    X(kTcpAckUnsentData, "TCP_ACK_UNSENT_DATA")                       \
    X(kSocketRcvBuff, "SOCKET_RCVBUFF")

enum class DropReason : std::uint8_t {
#define SYNACK_DROP_ENUM(e, name) e,
    SYNACK_DROP_REASONS(SYNACK_DROP_ENUM)
#undef SYNACK_DROP_ENUM
    kCount
};

constexpr std::string_view to_string(DropReason r) noexcept {
    constexpr std::array<std::string_view, static_cast<std::size_t>(DropReason::kCount)> kNames = {{
#define SYNACK_DROP_NAME(e, name) name,
        SYNACK_DROP_REASONS(SYNACK_DROP_NAME)
#undef SYNACK_DROP_NAME
    }};
    return kNames[static_cast<std::size_t>(r)];
}

}  // namespace synack::tcp
