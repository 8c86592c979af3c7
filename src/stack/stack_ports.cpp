// Linux's choice of an ephemeral port for connect() (__inet_hash_connect(), net/ipv4/inet_hashtables.c): a
// keyed hash of (source, destination, destination port) plus a perturbation table picks where to start in
// ip_local_port_range; ports of the range's parity first (bind() and listen() prefer the other), stepping by
// two; a port whose 4-tuple is free — or held by a TIME_WAIT entry tcp_tw_reuse may take — is used.
#include <cstring>

#include "stack/stack.hpp"

namespace synack::stack {

namespace {

constexpr std::size_t kPerturbSize = std::size_t{1} << 16;  // INET_TABLE_PERTURB_SIZE (CONFIG_..._ORDER = 16)

bool is_loopback(const wire::IpAddress& a) noexcept {
    if (a.is_v4()) return a.octets[12] == 127;
    static const wire::IpAddress kLoopback6 = *wire::IpAddress::parse("::1");
    return a == kLoopback6;
}

}  // namespace

// Linux __inet_check_established() with tcp_twsk_unique().
bool Stack::tuple_available(const tcp::FlowTuple& t, bool port_chosen, Instant now,
                            std::optional<tcp::TimeWaitEntry>& reused) {
    const std::uint64_t hash = flow_hash(t);
    const std::uint32_t link = find_entry(t, hash);
    if (link == tcp::kNoLink) return find_request(t, hash) == nullptr;
    if ((link & kTimeWaitLink) == 0) return false;  // a connection holds it
    const std::uint32_t tw = link & ~kTimeWaitLink;
    const tcp::TimeWaitEntry& e = time_wait_.at(tw);
    const bool loopback = is_loopback(t.local_address) || is_loopback(t.remote_address);
    if (!tcp::time_wait_reusable(e, loopback, port_chosen, now, config_)) return false;
    reused = e;
    mib_.inc(tcp::Counter::kTimeWaitRecycled);
    trace_transition(t, ConnectionId{}, tcp::State::kTimeWait, tcp::State::kClosed);
    unhash_time_wait(tw);
    time_wait_.erase(tw);
    return true;
}

Result<std::uint16_t, tcp::Errno> Stack::choose_ephemeral_port(const wire::IpAddress& local,
                                                               const wire::IpAddress& remote,
                                                               std::uint16_t remote_port, Instant now,
                                                               std::optional<tcp::TimeWaitEntry>& reused) {
    const std::uint32_t low = config_.ip_local_port_range[0];
    const std::uint32_t high = static_cast<std::uint32_t>(config_.ip_local_port_range[1]) + 1;  // [low, high)
    if (high <= low) return Err{tcp::Errno::kAddrNotAvail};
    constexpr std::uint32_t step = 2;
    std::uint32_t remaining = high - low;
    if (remaining > 1) remaining &= ~1u;

    // secure_ipv4_port_ephemeral(): a keyed hash of the addresses and the destination port.
    std::uint8_t key[34];
    std::memcpy(key, local.octets.data(), 16);
    std::memcpy(key + 16, remote.octets.data(), 16);
    wire::store_be16(key + 32, remote_port);
    const std::uint64_t port_offset = tcp::siphash24(wire::Bytes(key, sizeof key), port_key_);

    if (table_perturb_.empty()) {
        table_perturb_.resize(kPerturbSize);
        for (auto& v : table_perturb_) v = rng_.u32();
    }
    const std::size_t index = port_offset & (kPerturbSize - 1);
    std::uint32_t offset = (table_perturb_[index] + static_cast<std::uint32_t>(port_offset >> 32)) % remaining;
    offset &= ~1u;  // the first pass tries ports of low's parity

    for (;;) {
        std::uint32_t port = low + offset;
        for (std::uint32_t i = 0; i < remaining; i += step, port += step) {
            if (port >= high) port -= remaining;
            const auto candidate = static_cast<std::uint16_t>(port);
            if (port_reserved(candidate)) continue;  // bound by bind() or a listener (fastreuse >= 0)
            if (!tuple_available(tcp::FlowTuple{local, remote, candidate, remote_port}, false, now, reused)) continue;
            // A little randomness for the next choice: more when contention is low (Linux).
            i = std::max(i, rng_.below(8) * step);
            table_perturb_[index] += i + step;
            return candidate;
        }
        ++offset;
        if ((offset & 1u) == 0 || remaining <= 1) break;  // the other parity, once
    }
    return Err{tcp::Errno::kAddrNotAvail};
}

}  // namespace synack::stack
