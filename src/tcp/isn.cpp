#include "tcp/isn.hpp"

#include <cstring>

namespace synack::tcp {

IsnGenerator::IsnGenerator(const SipHashKey& isn_key, const SipHashKey& ts_key) noexcept
    : isn_key_(isn_key), ts_key_(ts_key) {}

wire::Seq32 IsnGenerator::isn(const wire::IpAddress& local, std::uint16_t local_port, const wire::IpAddress& remote,
                              std::uint16_t remote_port, Instant now) const noexcept {
    std::uint8_t input[36];
    std::memcpy(input, local.octets.data(), 16);
    std::memcpy(input + 16, remote.octets.data(), 16);
    wire::store_be16(input + 32, local_port);
    wire::store_be16(input + 34, remote_port);
    const auto f = static_cast<std::uint32_t>(siphash24(wire::Bytes(input, sizeof input), isn_key_));
    const auto m = static_cast<std::uint32_t>(static_cast<std::uint64_t>(now.time_since_epoch().count()) >> 6);
    return wire::Seq32(f + m);
}

std::uint32_t IsnGenerator::ts_offset(const wire::IpAddress& local, const wire::IpAddress& remote) const noexcept {
    std::uint8_t input[32];
    std::memcpy(input, local.octets.data(), 16);
    std::memcpy(input + 16, remote.octets.data(), 16);
    return static_cast<std::uint32_t>(siphash24(wire::Bytes(input, sizeof input), ts_key_));
}

}  // namespace synack::tcp
