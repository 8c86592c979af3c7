#include "tools/drill/symbols.hpp"

#include <cstring>
#include <string.h>  // strerrorname_np (glibc 2.32+)

#include "api/abi.hpp"

namespace synack::drill {
namespace {

struct Symbol {
    std::string_view name;
    std::int64_t value;
};

// include/uapi/linux/tcp.h, asm-generic/socket.h, linux/in.h, linux/in6.h: the ones api::abi does not name.
constexpr Symbol kExtra[] = {
    {"SOL_IP", 0},
    {"IP_TOS", 1},
    {"IP_TTL", 2},
    {"IP_MTU_DISCOVER", 10},
    {"IP_MTU", 14},
    {"IP_PMTUDISC_DONT", 0},
    {"IP_PMTUDISC_WANT", 1},
    {"IP_PMTUDISC_DO", 2},
    {"IP_PMTUDISC_PROBE", 3},
    {"IPV6_MTU_DISCOVER", 23},
    {"IPV6_MTU", 24},
    {"IPV6_TCLASS", 67},
    {"SO_DEBUG", 1},
    {"SO_DONTROUTE", 5},
    {"SO_BROADCAST", 6},
    {"SO_OOBINLINE", 10},
    {"SO_NO_CHECK", 11},
    {"SO_PRIORITY", 12},
    {"SO_REUSEPORT", 15},
    {"SO_RCVLOWAT", 18},
    {"SO_SNDLOWAT", 19},
    {"SO_RCVTIMEO", 20},
    {"SO_SNDTIMEO", 21},
    {"SO_MARK", 36},
    {"SO_MAX_PACING_RATE", 47},
    {"SO_ZEROCOPY", 60},
    {"TCP_DEFER_ACCEPT", 9},
    {"TCP_WINDOW_CLAMP", 10},
    {"TCP_THIN_LINEAR_TIMEOUTS", 16},
    {"TCP_THIN_DUPACK", 17},
    {"TCP_REPAIR", 19},
    {"TCP_FASTOPEN", 23},
    {"TCP_TIMESTAMP", 24},
    {"TCP_CC_INFO", 26},
    {"TCP_SAVE_SYN", 27},
    {"TCP_SAVED_SYN", 28},
    {"TCP_FASTOPEN_CONNECT", 30},
    {"TCP_ULP", 31},
    {"TCP_FASTOPEN_KEY", 33},
    {"TCP_FASTOPEN_NO_COOKIE", 34},
    {"TCP_ZEROCOPY_RECEIVE", 35},
    {"TCP_INQ", 36},
    {"TCP_TX_DELAY", 37},
    // tcp_ca_state (tcpi_ca_state)
    {"TCP_CA_Open", 0},
    {"TCP_CA_Disorder", 1},
    {"TCP_CA_CWR", 2},
    {"TCP_CA_Recovery", 3},
    {"TCP_CA_Loss", 4},
    // TCP states (tcpi_state)
    {"TCP_ESTABLISHED", 1},
    {"TCP_SYN_SENT", 2},
    {"TCP_SYN_RECV", 3},
    {"TCP_FIN_WAIT1", 4},
    {"TCP_FIN_WAIT2", 5},
    {"TCP_TIME_WAIT", 6},
    {"TCP_CLOSE", 7},
    {"TCP_CLOSE_WAIT", 8},
    {"TCP_LAST_ACK", 9},
    {"TCP_LISTEN", 10},
    {"TCP_CLOSING", 11},
    {"O_RDONLY", 0},
    {"O_WRONLY", 1},
    {"F_GETOWN", 9},
    {"F_SETOWN", 8},
    {"NULL", 0},
};

}  // namespace

std::optional<std::int64_t> symbol_value(std::string_view name) noexcept {
    if (const auto v = api::abi::constant(name)) return v;
    for (const Symbol& s : kExtra) {
        if (s.name == name) return s.value;
    }
    return std::nullopt;
}

// Linux's errno numbers run from 1 to 133 (EHWPOISON); glibc names each.
std::optional<int> errno_number(std::string_view name) noexcept {
    if (name == "EWOULDBLOCK") return 11;
    if (name == "ENOTSUP") return 95;
    for (int n = 1; n <= 133; ++n) {
        const char* s = strerrorname_np(n);
        if (s != nullptr && name == s) return n;
    }
    return std::nullopt;
}

std::string errno_name_of(int number) {
    const char* s = strerrorname_np(number);
    return s != nullptr ? s : "E" + std::to_string(number);
}

std::string errno_message(int number) {
    const char* s = strerrordesc_np(number);
    return s != nullptr ? s : "Unknown error " + std::to_string(number);
}

}  // namespace synack::drill
