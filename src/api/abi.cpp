#include "api/abi.hpp"

#include <utility>

namespace synack::api::abi {

namespace {

using Named = std::pair<std::string_view, std::int64_t>;

constexpr Named kConstants[] = {
    {"AF_UNSPEC", kAfUnspec}, {"AF_INET", kAfInet}, {"AF_INET6", kAfInet6},
    {"PF_UNSPEC", kAfUnspec}, {"PF_INET", kAfInet}, {"PF_INET6", kAfInet6},
    {"SOCK_STREAM", kSockStream}, {"SOCK_DGRAM", kSockDgram}, {"SOCK_RAW", kSockRaw},
    {"SOCK_SEQPACKET", kSockSeqpacket}, {"SOCK_NONBLOCK", kSockNonblock}, {"SOCK_CLOEXEC", kSockCloexec},
    {"IPPROTO_IP", kIpprotoIp}, {"IPPROTO_TCP", kIpprotoTcp}, {"IPPROTO_UDP", kIpprotoUdp},
    {"IPPROTO_IPV6", kIpprotoIpv6}, {"SOL_SOCKET", kSolSocket}, {"SOL_TCP", kSolTcp}, {"SOL_IPV6", kSolIpv6},
    {"SO_REUSEADDR", kSoReuseaddr}, {"SO_TYPE", kSoType}, {"SO_ERROR", kSoError}, {"SO_SNDBUF", kSoSndbuf},
    {"SO_RCVBUF", kSoRcvbuf}, {"SO_KEEPALIVE", kSoKeepalive}, {"SO_LINGER", kSoLinger},
    {"SO_ACCEPTCONN", kSoAcceptconn}, {"SO_PROTOCOL", kSoProtocol}, {"SO_DOMAIN", kSoDomain},
    {"TCP_NODELAY", kTcpNodelay}, {"TCP_MAXSEG", kTcpMaxseg}, {"TCP_KEEPIDLE", kTcpKeepidle},
    {"TCP_KEEPINTVL", kTcpKeepintvl}, {"TCP_KEEPCNT", kTcpKeepcnt}, {"TCP_SYNCNT", kTcpSyncnt},
    {"TCP_LINGER2", kTcpLinger2}, {"TCP_INFO", kTcpInfo}, {"TCP_QUICKACK", kTcpQuickack},
    {"TCP_CONGESTION", kTcpCongestion}, {"TCP_USER_TIMEOUT", kTcpUserTimeout}, {"TCP_CORK", kTcpCork},
    {"TCP_NOTSENT_LOWAT", kTcpNotsentLowat}, {"IPV6_V6ONLY", kIpv6V6only},
    {"MSG_OOB", kMsgOob}, {"MSG_PEEK", kMsgPeek}, {"MSG_DONTROUTE", kMsgDontroute}, {"MSG_TRUNC", kMsgTrunc},
    {"MSG_DONTWAIT", kMsgDontwait}, {"MSG_EOR", kMsgEor}, {"MSG_WAITALL", kMsgWaitall},
    {"MSG_CONFIRM", kMsgConfirm}, {"MSG_ERRQUEUE", kMsgErrqueue}, {"MSG_NOSIGNAL", kMsgNosignal},
    {"MSG_MORE", kMsgMore}, {"MSG_ZEROCOPY", kMsgZerocopy}, {"MSG_FASTOPEN", kMsgFastopen},
    {"SHUT_RD", kShutRd}, {"SHUT_WR", kShutWr}, {"SHUT_RDWR", kShutRdwr},
    {"POLLIN", kPollIn}, {"POLLPRI", kPollPri}, {"POLLOUT", kPollOut}, {"POLLERR", kPollErr},
    {"POLLHUP", kPollHup}, {"POLLNVAL", kPollNval}, {"POLLRDNORM", kPollRdnorm}, {"POLLRDBAND", kPollRdband},
    {"POLLWRNORM", kPollWrnorm}, {"POLLWRBAND", kPollWrband}, {"POLLMSG", kPollMsg}, {"POLLRDHUP", kPollRdhup},
    {"FIONREAD", static_cast<std::int64_t>(kFionread)}, {"SIOCINQ", static_cast<std::int64_t>(kSiocinq)},
    {"SIOCOUTQ", static_cast<std::int64_t>(kSiocoutq)}, {"SIOCOUTQNSD", static_cast<std::int64_t>(kSiocoutqnsd)},
    {"FIONBIO", static_cast<std::int64_t>(kFionbio)},
    {"F_GETFD", kFGetfd}, {"F_SETFD", kFSetfd}, {"F_GETFL", kFGetfl}, {"F_SETFL", kFSetfl},
    {"FD_CLOEXEC", kFdCloexec}, {"O_RDWR", kORdwr}, {"O_APPEND", kOAppend}, {"O_NONBLOCK", kONonblock},
    {"O_NDELAY", kONonblock}, {"O_ASYNC", kOAsync}, {"O_DIRECT", kODirect}, {"O_NOATIME", kONoatime},
};

constexpr std::pair<std::uint32_t, std::string_view> kPollNames[] = {
    {kPollIn, "POLLIN"}, {kPollPri, "POLLPRI"}, {kPollOut, "POLLOUT"}, {kPollErr, "POLLERR"},
    {kPollHup, "POLLHUP"}, {kPollNval, "POLLNVAL"}, {kPollRdnorm, "POLLRDNORM"}, {kPollRdband, "POLLRDBAND"},
    {kPollWrnorm, "POLLWRNORM"}, {kPollWrband, "POLLWRBAND"}, {kPollMsg, "POLLMSG"}, {kPollRdhup, "POLLRDHUP"},
};

}  // namespace

std::optional<std::int64_t> constant(std::string_view name) noexcept {
    for (const auto& [n, v] : kConstants) {
        if (n == name) return v;
    }
    return std::nullopt;
}

std::string poll_events_text(std::uint32_t events) {
    std::string text;
    for (const auto& [bit, name] : kPollNames) {
        if ((events & bit) == 0) continue;
        if (!text.empty()) text += '|';
        text += name;
        events &= ~bit;
    }
    if (events != 0) {
        if (!text.empty()) text += '|';
        char hex[16];
        static constexpr char kDigits[] = "0123456789abcdef";
        int n = 0;
        for (std::uint32_t v = events; v != 0; v >>= 4) hex[n++] = kDigits[v & 0xf];
        text += "0x";
        while (n > 0) text += hex[--n];
    }
    return text.empty() ? "0" : text;
}

}  // namespace synack::api::abi
