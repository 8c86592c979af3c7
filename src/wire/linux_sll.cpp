#include "wire/linux_sll.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace synack::wire {

ParseResult<LinuxSllView> LinuxSllView::parse(Bytes bytes) noexcept {
    if (bytes.size() < kHeaderLength) return Err{ParseError::Truncated};
    return LinuxSllView(bytes);
}

Bytes LinuxSllView::address() const noexcept {
    return bytes_.subspan(6, std::min<std::size_t>(address_length(), kSllAddressCapacity));
}

ParseResult<LinuxSll2View> LinuxSll2View::parse(Bytes bytes) noexcept {
    if (bytes.size() < kHeaderLength) return Err{ParseError::Truncated};
    return LinuxSll2View(bytes);
}

Bytes LinuxSll2View::address() const noexcept {
    return bytes_.subspan(12, std::min<std::size_t>(address_length(), kSllAddressCapacity));
}

void LinuxSllBuilder::write(MutableBytes out) const noexcept {
    assert(out.size() >= size());
    store_be16(out.data(), packet_type);
    store_be16(out.data() + 2, arphrd_type);
    store_be16(out.data() + 4, address_length);
    std::memcpy(out.data() + 6, address.data(), address.size());
    store_be16(out.data() + 14, protocol);
}

void LinuxSll2Builder::write(MutableBytes out) const noexcept {
    assert(out.size() >= size());
    store_be16(out.data(), protocol);
    store_be16(out.data() + 2, reserved);
    store_be32(out.data() + 4, interface_index);
    store_be16(out.data() + 8, arphrd_type);
    out[10] = packet_type;
    out[11] = address_length;
    std::memcpy(out.data() + 12, address.data(), address.size());
}

}  // namespace synack::wire
