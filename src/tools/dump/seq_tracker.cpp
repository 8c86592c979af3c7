#include "tools/dump/seq_tracker.hpp"

namespace synack::dump {

std::size_t SeqTracker::KeyHash::operator()(const Key& k) const noexcept {
    std::uint64_t h = 1469598103934665603ull ^ k.port ^ (std::uint64_t{k.family} << 40);
    for (std::uint8_t b : k.src) h = (h ^ b) * 1099511628211ull;
    for (std::uint8_t b : k.dst) h = (h ^ b) * 1099511628211ull;
    return static_cast<std::size_t>(h);
}

RelativeSeq SeqTracker::track(const std::uint8_t* src, const std::uint8_t* dst, std::size_t address_length,
                              std::uint16_t sport, std::uint16_t dport, std::uint32_t seq, std::uint32_t ack,
                              bool syn) {
    // tcpdump print-tcp.c: the side with the lower port (then the lower address) is "src" of the entry.
    bool rev = false;
    if (sport > dport) {
        rev = true;
    } else if (sport == dport) {
        rev = std::memcmp(src, dst, address_length) > 0;
    }
    Key key;
    key.family = static_cast<std::uint8_t>(address_length);
    if (rev) {
        std::memcpy(key.src.data(), dst, address_length);
        std::memcpy(key.dst.data(), src, address_length);
        key.port = (std::uint32_t{dport} << 16) | sport;
    } else {
        std::memcpy(key.src.data(), src, address_length);
        std::memcpy(key.dst.data(), dst, address_length);
        key.port = (std::uint32_t{sport} << 16) | dport;
    }

    RelativeSeq out{seq, ack, 0};
    auto it = table_.find(key);
    if (it == table_.end() || syn) {
        Bases& b = table_[key];
        if (rev) {
            b.ack = seq;
            b.seq = ack - 1;
        } else {
            b.seq = seq;
            b.ack = ack - 1;
        }
        out.sack_base = rev ? b.seq : b.ack;
        return out;  // printed absolute
    }
    const Bases& b = it->second;
    if (rev) {
        out.seq = seq - b.ack;
        out.ack = ack - b.seq;
        out.sack_base = b.seq;
    } else {
        out.seq = seq - b.seq;
        out.ack = ack - b.ack;
        out.sack_base = b.ack;
    }
    return out;
}

}  // namespace synack::dump
