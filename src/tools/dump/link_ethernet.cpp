// LINKTYPE_ETHERNET: Ethernet II with any number of 802.1Q/802.1ad tags (tcpdump print-ether.c ether_common_print).
#include "tools/dump/ethertype.hpp"
#include "tools/dump/hex_dump.hpp"
#include "tools/dump/link.hpp"
#include "wire/ethernet.hpp"

namespace synack::dump {
namespace {

void print_addresses(Context& ctx, const wire::EthernetView& eth) {
    ctx.out.put(ctx.names.mac(eth.source()));
    ctx.out.put(" > ");
    ctx.out.put(ctx.names.mac(eth.destination()));
    ctx.out.put(", ");
}

// tcpdump print-ether.c ether_type_print.
void print_type(Context& ctx, std::uint16_t type) {
    const std::string_view name = ethertype_name(type);
    if (ctx.options.quiet == 0) {
        ctx.out.print("ethertype {} (0x{:04x})", name.empty() ? "Unknown" : name, type);
    } else if (name.empty()) {
        ctx.out.print("Unknown Ethertype (0x{:04x})", type);
    } else {
        ctx.out.put(name);
    }
}

}  // namespace

Flow print_ethernet_frame(Context& ctx, wire::Bytes captured, std::uint32_t wire_length) {
    ctx.protocol = "ether";
    auto parsed = wire::EthernetView::parse(captured);
    if (!parsed) {
        // Not a longjmp in tcpdump: the truncation note, and the captured bytes count as link header.
        ctx.out.put(" [|ether]");
        ctx.link_header_length = captured.size();
        return Flow::Ok;
    }
    const wire::EthernetView& eth = *parsed;
    const std::uint32_t orig_length = wire_length;
    std::uint32_t length = wire_length - static_cast<std::uint32_t>(wire::EthernetView::kHeaderLength);
    std::size_t header_length = wire::EthernetView::kHeaderLength;
    std::uint16_t type = eth.ether_type();
    wire::Bytes rest = eth.payload();
    const bool e = ctx.options.link_header;
    if (e) print_addresses(ctx, eth);

    bool printed_length = false;
    while (wire::ether_type::is_vlan_tpid(type)) {
        auto tag = wire::VlanTagView::parse(rest);
        if (!tag || length < wire::VlanTagView::kHeaderLength) {
            ctx.out.put(" [|vlan]");
            ctx.link_header_length = header_length + (tag ? length : rest.size());
            return Flow::Ok;
        }
        if (e) {
            print_type(ctx, type);
            if (!printed_length) {
                ctx.out.print(", length {}: ", orig_length);
                printed_length = true;
            } else {
                ctx.out.put(", ");
            }
            print_vlan_tci(ctx.out, tag->tci());
            ctx.out.put(", ");
        }
        type = tag->ether_type();
        rest = tag->payload();
        length -= static_cast<std::uint32_t>(wire::VlanTagView::kHeaderLength);
        header_length += wire::VlanTagView::kHeaderLength;
    }

    if (wire::ether_type::is_length(type)) {
        // IEEE 802.3 with an LLC header: synack prints the frame but does not dissect LLC.
        if (e) {
            ctx.out.put("802.3");
            if (!printed_length) ctx.out.print(", length {}: ", type);
        }
        const std::size_t n = rest.size() < type ? rest.size() : type;
        if (!ctx.options.suppress_default_print()) hex_ascii_dump(ctx.out, rest.first(n));
        ctx.link_header_length = header_length;
        return Flow::Ok;
    }

    if (e) {
        print_type(ctx, type);
        if (!printed_length) {
            ctx.out.print(", length {}: ", orig_length);
        } else {
            ctx.out.put(", ");
        }
    }
    ctx.link_header_length = header_length;
    std::optional<Flow> flow = print_ethertype(ctx, type, rest, length);
    if (flow) return *flow;
    if (!e) {
        print_addresses(ctx, eth);
        print_type(ctx, type);
        ctx.out.print(", length {}: ", orig_length);
    }
    if (!ctx.options.suppress_default_print()) hex_ascii_dump(ctx.out, rest);
    return Flow::Ok;
}

}  // namespace synack::dump
