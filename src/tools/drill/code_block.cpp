#include "tools/drill/code_block.hpp"

#include <cctype>

#include "tools/drill/symbols.hpp"
#include "tools/drill/text.hpp"

namespace synack::drill {
namespace {

bool identifier(std::string_view s) {
    if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
    for (const char c : s) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    }
    return true;
}

// A number, a -D definition or a symbol (TCP_CA_Loss).
std::optional<std::int64_t> integer(std::string_view s, const DrillOptions& options) {
    if (const auto v = parse_integer(s)) return v;
    if (!identifier(s)) return std::nullopt;
    if (const auto d = options.defines.find(std::string(s)); d != options.defines.end()) {
        return integer(d->second, options);
    }
    return symbol_value(s);
}

template <typename T>
std::uint64_t as_u64(T v) {
    return static_cast<std::uint64_t>(v);
}

}  // namespace

std::optional<std::uint64_t> tcp_info_field(const tcp::TcpInfo& i, std::string_view name) {
#define SYNACK_FIELD(f) \
    if (name == #f) return as_u64(i.f);
    SYNACK_FIELD(tcpi_state) SYNACK_FIELD(tcpi_ca_state) SYNACK_FIELD(tcpi_retransmits) SYNACK_FIELD(tcpi_probes)
    SYNACK_FIELD(tcpi_backoff) SYNACK_FIELD(tcpi_options) SYNACK_FIELD(tcpi_snd_wscale) SYNACK_FIELD(tcpi_rcv_wscale)
    SYNACK_FIELD(tcpi_delivery_rate_app_limited) SYNACK_FIELD(tcpi_fastopen_client_fail)
    SYNACK_FIELD(tcpi_rto) SYNACK_FIELD(tcpi_ato) SYNACK_FIELD(tcpi_snd_mss) SYNACK_FIELD(tcpi_rcv_mss)
    SYNACK_FIELD(tcpi_unacked) SYNACK_FIELD(tcpi_sacked) SYNACK_FIELD(tcpi_lost) SYNACK_FIELD(tcpi_retrans)
    SYNACK_FIELD(tcpi_fackets) SYNACK_FIELD(tcpi_last_data_sent) SYNACK_FIELD(tcpi_last_ack_sent)
    SYNACK_FIELD(tcpi_last_data_recv) SYNACK_FIELD(tcpi_last_ack_recv) SYNACK_FIELD(tcpi_pmtu)
    SYNACK_FIELD(tcpi_rcv_ssthresh) SYNACK_FIELD(tcpi_rtt) SYNACK_FIELD(tcpi_rttvar) SYNACK_FIELD(tcpi_snd_ssthresh)
    SYNACK_FIELD(tcpi_snd_cwnd) SYNACK_FIELD(tcpi_advmss) SYNACK_FIELD(tcpi_reordering) SYNACK_FIELD(tcpi_rcv_rtt)
    SYNACK_FIELD(tcpi_rcv_space) SYNACK_FIELD(tcpi_total_retrans) SYNACK_FIELD(tcpi_pacing_rate)
    SYNACK_FIELD(tcpi_max_pacing_rate) SYNACK_FIELD(tcpi_bytes_acked) SYNACK_FIELD(tcpi_bytes_received)
    SYNACK_FIELD(tcpi_segs_out) SYNACK_FIELD(tcpi_segs_in) SYNACK_FIELD(tcpi_notsent_bytes) SYNACK_FIELD(tcpi_min_rtt)
    SYNACK_FIELD(tcpi_data_segs_in) SYNACK_FIELD(tcpi_data_segs_out) SYNACK_FIELD(tcpi_delivery_rate)
    SYNACK_FIELD(tcpi_busy_time) SYNACK_FIELD(tcpi_rwnd_limited) SYNACK_FIELD(tcpi_sndbuf_limited)
    SYNACK_FIELD(tcpi_delivered) SYNACK_FIELD(tcpi_delivered_ce) SYNACK_FIELD(tcpi_bytes_sent)
    SYNACK_FIELD(tcpi_bytes_retrans) SYNACK_FIELD(tcpi_dsack_dups) SYNACK_FIELD(tcpi_reord_seen)
    SYNACK_FIELD(tcpi_rcv_ooopack) SYNACK_FIELD(tcpi_snd_wnd) SYNACK_FIELD(tcpi_rcv_wnd) SYNACK_FIELD(tcpi_rehash)
    SYNACK_FIELD(tcpi_total_rto) SYNACK_FIELD(tcpi_total_rto_recoveries) SYNACK_FIELD(tcpi_total_rto_time)
    SYNACK_FIELD(tcpi_received_ce) SYNACK_FIELD(tcpi_delivered_e1_bytes) SYNACK_FIELD(tcpi_delivered_e0_bytes)
    SYNACK_FIELD(tcpi_delivered_ce_bytes) SYNACK_FIELD(tcpi_received_e1_bytes) SYNACK_FIELD(tcpi_received_e0_bytes)
    SYNACK_FIELD(tcpi_received_ce_bytes) SYNACK_FIELD(tcpi_accecn_fail_mode) SYNACK_FIELD(tcpi_accecn_opt_seen)
#undef SYNACK_FIELD
    return std::nullopt;
}

Result<std::vector<Assertion>, std::string> parse_code_block(std::string_view text, const DrillOptions& options) {
    std::vector<Assertion> out;
    std::size_t start = 0;
    while (start < text.size()) {
        // One statement per line, or several joined with ';' as Python allows.
        std::size_t end = text.find_first_of("\n;", start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = trim(text.substr(start, end - start));
        start = end + 1;
        if (line.empty() || line[0] == '#') continue;
        const std::string written(line);
        constexpr std::string_view kAssert = "assert ";
        if (line.substr(0, kAssert.size()) != kAssert) return Err{"code not supported: " + written};
        line.remove_prefix(kAssert.size());
        // An optional ", message" after the condition.
        if (const std::size_t comma = line.find(','); comma != std::string_view::npos) line = line.substr(0, comma);
        static constexpr std::string_view kOps[] = {"==", "!=", "<=", ">=", "<", ">"};
        std::size_t at = std::string_view::npos;
        std::string_view op;
        for (const std::string_view candidate : kOps) {
            at = line.find(candidate);
            if (at != std::string_view::npos) {
                op = candidate;
                break;
            }
        }
        if (at == std::string_view::npos) return Err{"code not supported: " + written};
        const std::string_view field = trim(line.substr(0, at));
        const std::string_view value = trim(line.substr(at + op.size()));
        if (!identifier(field) || !tcp_info_field(tcp::TcpInfo{}, field)) {
            return Err{"code not supported: " + written + " (only `assert tcpi_<field> OP number`)"};
        }
        const auto v = integer(value, options);
        if (!v) return Err{"code not supported: " + written + " (the right side must be a number or a symbol)"};
        out.push_back(Assertion{std::string(field), std::string(op), *v, written});
    }
    return out;
}

std::optional<std::string> check_assertions(const std::vector<Assertion>& assertions, const tcp::TcpInfo& info) {
    for (const Assertion& a : assertions) {
        const auto actual = static_cast<std::int64_t>(*tcp_info_field(info, a.field));
        bool holds = false;
        if (a.op == "==") holds = actual == a.value;
        else if (a.op == "!=") holds = actual != a.value;
        else if (a.op == "<") holds = actual < a.value;
        else if (a.op == "<=") holds = actual <= a.value;
        else if (a.op == ">") holds = actual > a.value;
        else holds = actual >= a.value;
        if (!holds) return "AssertionError: " + a.text + " (" + a.field + " is " + std::to_string(actual) + ")";
    }
    return std::nullopt;
}

}  // namespace synack::drill
