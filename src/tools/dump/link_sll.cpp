// LINKTYPE_LINUX_SLL and LINKTYPE_LINUX_SLL2, Linux "cooked" captures (tcpdump print-sll.c).
#include "tools/dump/ethertype.hpp"
#include "tools/dump/hex_dump.hpp"
#include "tools/dump/link.hpp"
#include "wire/ethernet.hpp"
#include "wire/linux_sll.hpp"

namespace synack::dump {
namespace {

constexpr std::uint16_t kP8023 = wire::sll_protocol::k802_3;
constexpr std::uint16_t kP8022 = wire::sll_protocol::k802_2;

std::string_view packet_type_name(std::uint16_t type) {
    switch (type) {
        case wire::sll_packet_type::kHost: return "In";
        case wire::sll_packet_type::kBroadcast: return "B";
        case wire::sll_packet_type::kMulticast: return "M";
        case wire::sll_packet_type::kOtherHost: return "P";
        case wire::sll_packet_type::kOutgoing: return "Out";
        default: return "?";
    }
}

// The address and protocol part of tcpdump's sll_print/sll2_print.
void print_address_and_protocol(Context& ctx, wire::Bytes address, std::size_t address_length, std::uint16_t protocol,
                                std::uint32_t length) {
    if (address_length == 6) {
        ctx.out.put(ctx.names.mac(address.data()));
        ctx.out.put(' ');
    }
    if (ctx.options.quiet == 0) {
        if (wire::ether_type::is_length(protocol)) {
            if (protocol == kP8023) {
                ctx.out.put("802.3");
            } else if (protocol == kP8022) {
                ctx.out.put("802.2");
            } else {
                ctx.out.print("ethertype Unknown (0x{:04x})", protocol);
            }
        } else {
            const std::string_view name = ethertype_name(protocol);
            ctx.out.print("ethertype {} (0x{:04x})", name.empty() ? "Unknown" : name, protocol);
        }
        ctx.out.print(", length {}: ", length);
    }
}

// The part after the cooked header, shared by v1 and v2 (the `recurse:` loop of sll_if_print).
// `print_header` prints the whole cooked header for unknown protocols without -e.
template <typename PrintHeader>
Flow print_cooked_payload(Context& ctx, std::uint16_t protocol, wire::Bytes rest, std::uint32_t length,
                          std::size_t header_length, PrintHeader print_header) {
    for (;;) {
        if (wire::ether_type::is_length(protocol)) {
            // 802.3 (IPX) and 802.2 (LLC): not dissected by synack; the raw bytes, as for unknown types.
            if (!ctx.options.suppress_default_print()) hex_ascii_dump(ctx.out, rest);
            ctx.link_header_length = header_length;
            return Flow::Ok;
        }
        if (protocol == wire::ether_type::kVlan) {
            auto tag = wire::VlanTagView::parse(rest);
            if (!tag) {
                ctx.out.put(" [|vlan]");
                ctx.link_header_length = header_length + rest.size();
                return Flow::Ok;
            }
            if (ctx.options.link_header) {
                print_vlan_tci(ctx.out, tag->tci());
                ctx.out.put(", ");
            }
            protocol = tag->ether_type();
            if (wire::ether_type::is_length(protocol)) protocol = kP8022;
            if (ctx.options.quiet == 0) {
                const std::string_view name = ethertype_name(protocol);
                ctx.out.print("ethertype {}, ", name.empty() ? "Unknown" : name);
            }
            rest = tag->payload();
            length -= 4;
            header_length += 4;
            continue;
        }
        ctx.link_header_length = header_length;
        std::optional<Flow> flow = print_ethertype(ctx, protocol, rest, length);
        if (flow) return *flow;
        if (!ctx.options.link_header) print_header(length);
        if (!ctx.options.suppress_default_print()) hex_ascii_dump(ctx.out, rest);
        return Flow::Ok;
    }
}

}  // namespace

Flow print_linux_sll(Context& ctx, wire::Bytes captured, std::uint32_t wire_length) {
    ctx.protocol = "sll";
    auto parsed = wire::LinuxSllView::parse(captured);
    if (!parsed) return ctx.truncated("sll");
    const wire::LinuxSllView& sll = *parsed;
    auto print_header = [&](std::uint32_t length) {
        ctx.out.print("{:>3} ", packet_type_name(sll.packet_type()));
        print_address_and_protocol(ctx, sll.header().subspan(6, 8), sll.address_length(), sll.protocol(), length);
    };
    if (ctx.options.link_header) print_header(wire_length);
    const std::uint32_t length = wire_length - static_cast<std::uint32_t>(wire::LinuxSllView::kHeaderLength);
    return print_cooked_payload(ctx, sll.protocol(), sll.payload(), length, wire::LinuxSllView::kHeaderLength,
                                [&](std::uint32_t l) { print_header(l + wire::LinuxSllView::kHeaderLength); });
}

Flow print_linux_sll2(Context& ctx, wire::Bytes captured, std::uint32_t wire_length) {
    ctx.protocol = "sll2";
    auto parsed = wire::LinuxSll2View::parse(captured);
    if (!parsed) return ctx.truncated("sll2");
    const wire::LinuxSll2View& sll = *parsed;
    // tcpdump names the interface by asking this machine (if_indextoname), "?" when it has no such index.
    ctx.out.print("{:<5} {:<3} ", ctx.names.interface(sll.interface_index()), packet_type_name(sll.packet_type()));
    auto print_header = [&](std::uint32_t length) {
        ctx.out.print("ifindex {} ", sll.interface_index());
        print_address_and_protocol(ctx, sll.header().subspan(12, 8), sll.address_length(), sll.protocol(), length);
    };
    if (ctx.options.link_header) print_header(wire_length);
    const std::uint32_t length = wire_length - static_cast<std::uint32_t>(wire::LinuxSll2View::kHeaderLength);
    return print_cooked_payload(ctx, sll.protocol(), sll.payload(), length, wire::LinuxSll2View::kHeaderLength,
                                [&](std::uint32_t l) { print_header(l + wire::LinuxSll2View::kHeaderLength); });
}

}  // namespace synack::dump
