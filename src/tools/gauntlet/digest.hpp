// A run's fingerprint: a 64-bit hash of every event on the link — each packet offered (its bytes, direction and
// virtual time), each copy lost, dropped or delivered (with its flags and time). Two runs of one seed must give
// the same digest (--check-repro); any difference in what either stack sent, or when, changes it.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

#include "runtime/sim_network.hpp"
#include "wire/bytes.hpp"

namespace synack::tools::gauntlet {

class LinkDigest {
public:
    void add(const runtime::LinkEvent& e) noexcept {
        mix(static_cast<std::uint64_t>(e.time.time_since_epoch().count()));
        mix((std::uint64_t{static_cast<std::uint8_t>(e.kind)} << 16) |
            (std::uint64_t{static_cast<std::uint8_t>(e.direction)} << 8) | e.flags);
        if (e.kind == runtime::LinkEventKind::Sent) {
            ++packets_;
            bytes_ += e.packet.size();
            add_bytes(e.packet);
        }
    }

    std::uint64_t value() const noexcept {
        // A final avalanche (splitmix64's finaliser) so nearby states give unrelated digests.
        std::uint64_t z = h_ ^ packets_;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    std::uint64_t packets() const noexcept { return packets_; }
    std::uint64_t bytes() const noexcept { return bytes_; }

private:
    void mix(std::uint64_t w) noexcept { h_ = std::rotl((h_ ^ w) * 0x9e3779b97f4a7c15ull, 29) * 0xff51afd7ed558ccdull; }
    void add_bytes(wire::Bytes b) noexcept {
        mix(b.size());
        std::size_t i = 0;
        // Four independent lanes over 32-byte strides (a packet is mostly payload: one dependency chain would
        // make the hash the slowest part of a run), folded into the state at the end.
        if (b.size() >= 32) {
            std::uint64_t lane[4] = {h_, h_ ^ 0x1234567887654321ull, h_ + 0x9e3779b97f4a7c15ull, ~h_};
            for (; i + 32 <= b.size(); i += 32) {
                for (unsigned k = 0; k < 4; ++k) {
                    std::uint64_t w;
                    std::memcpy(&w, b.data() + i + 8 * k, 8);
                    lane[k] = std::rotl((lane[k] ^ w) * 0x9e3779b97f4a7c15ull, 29);
                }
            }
            for (std::uint64_t l : lane) mix(l);
        }
        for (; i + 8 <= b.size(); i += 8) {
            std::uint64_t w;
            std::memcpy(&w, b.data() + i, 8);
            mix(w);
        }
        std::uint64_t tail = 0;
        for (unsigned k = 0; i < b.size(); ++i, ++k) tail |= std::uint64_t{b[i]} << (8 * k);
        mix(tail);
    }

    std::uint64_t h_ = 0x6761756e746c6574ull;
    std::uint64_t packets_ = 0;
    std::uint64_t bytes_ = 0;
};

}  // namespace synack::tools::gauntlet
