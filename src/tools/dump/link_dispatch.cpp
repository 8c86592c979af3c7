#include "device/capture_record.hpp"
#include "tools/dump/link.hpp"

namespace synack::dump {

LinkPrinter link_printer(std::uint32_t link_type) {
    using device::LinkType;
    switch (static_cast<LinkType>(link_type)) {
        case LinkType::Ethernet:
            return print_ethernet_frame;
        case LinkType::LinuxSll:
            return print_linux_sll;
        case LinkType::LinuxSll2:
            return print_linux_sll2;
        case LinkType::Raw:
        case LinkType::Ipv4:
        case LinkType::Ipv6:
            return print_raw_ip;
        default:
            return nullptr;
    }
}

void print_vlan_tci(Output& out, std::uint16_t tci) {
    out.print("vlan {}, p {}", tci & 0x0fff, tci >> 13);
    if ((tci & 0x1000) != 0) out.put(", DEI");
}

}  // namespace synack::dump
