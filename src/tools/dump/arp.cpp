#include "tools/dump/arp.hpp"

#include "tools/dump/ethertype.hpp"
#include "tools/dump/hex_dump.hpp"
#include "wire/arp.hpp"

namespace synack::dump {
namespace {

constexpr std::uint16_t kEtherTypeTrail = 0x1000;

std::string_view hardware_name(std::uint16_t hrd) {
    switch (hrd) {
        case 1: return "Ethernet";
        case 6: return "TokenRing";
        case 7: return "ArcNet";
        case 15: return "FrameRelay";
        case 19: return "ATM";
        case 23: return "Strip";
        case 24: return "IEEE 1394";
        case 32: return "InfiniBand";
        default: return {};
    }
}

std::string_view operation_name(std::uint16_t op) {
    switch (op) {
        case wire::arp_operation::kRequest: return "Request";
        case wire::arp_operation::kReply: return "Reply";
        case wire::arp_operation::kReverseRequest: return "Reverse Request";
        case wire::arp_operation::kReverseReply: return "Reverse Reply";
        case wire::arp_operation::kInverseRequest: return "Inverse Request";
        case wire::arp_operation::kInverseReply: return "Inverse Reply";
        case 10: return "NACK Reply";
        default: return {};
    }
}

// tcpdump addrtoname.c linkaddr_string for LINKADDR_ETHER.
void print_link_address(Context& ctx, wire::Bytes address) {
    if (address.size() == 6) {
        ctx.out.put(ctx.names.mac(address.data()));
        return;
    }
    if (address.empty()) {
        ctx.out.put("<empty>");
        return;
    }
    for (std::size_t i = 0; i < address.size(); ++i) {
        if (i != 0) ctx.out.put(':');
        ctx.out.put_hex2(address[i]);
    }
}

// tcpdump print-arp.c spaddr_print_ip / tpaddr_print_ip.
void print_protocol_address(Context& ctx, const wire::ArpView& arp, wire::Bytes address) {
    if (arp.protocol_type() != wire::ether_type::kIpv4 && arp.protocol_type() != kEtherTypeTrail) {
        ctx.out.put("<wrong proto type>");
    } else if (arp.protocol_length() != 4) {
        ctx.out.put("<wrong len>");
    } else {
        ctx.out.put(ctx.names.ipv4(address.data()));
    }
}

bool is_nonzero(wire::Bytes b) {
    for (std::uint8_t x : b) {
        if (x != 0) return true;
    }
    return false;
}

}  // namespace

Flow print_arp(Context& ctx, wire::Bytes bytes, std::uint32_t length) {
    ctx.protocol = "arp";
    auto parsed = wire::ArpView::parse(bytes);
    if (!parsed) return ctx.truncated("arp");
    if (!ctx.options.link_header) ctx.out.put("ARP, ");
    const wire::ArpView& arp = *parsed;
    const std::uint16_t pro = arp.protocol_type();
    const bool verbose = ctx.options.verbose > 0;
    if ((pro != wire::ether_type::kIpv4 && pro != kEtherTypeTrail) || arp.protocol_length() != 4 ||
        arp.hardware_length() == 0 || verbose) {
        const std::string_view hw = hardware_name(arp.hardware_type());
        if (hw.empty()) {
            ctx.out.print("Unknown Hardware ({})", arp.hardware_type());
        } else {
            ctx.out.put(hw);
        }
        ctx.out.print(" (len {}), ", arp.hardware_length());
        const std::string_view proto = ethertype_name(pro);
        if (proto.empty()) {
            ctx.out.print("Unknown Protocol (0x{:04x})", pro);
        } else {
            ctx.out.put(proto);
        }
        ctx.out.print(" (len {})", arp.protocol_length());
        if (!verbose) {
            ctx.out.print(", length {}", length);
            return Flow::Ok;
        }
    }
    if (verbose) ctx.out.put(", ");
    const std::string_view op = operation_name(arp.operation());
    if (op.empty()) {
        ctx.out.print("Unknown ({}) ", arp.operation());
    } else {
        ctx.out.put(op);
        ctx.out.put(' ');
    }
    switch (arp.operation()) {
        case wire::arp_operation::kRequest:
            ctx.out.put("who-has ");
            print_protocol_address(ctx, arp, arp.target_protocol());
            if (is_nonzero(arp.target_hardware())) {
                ctx.out.put(" (");
                print_link_address(ctx, arp.target_hardware());
                ctx.out.put(')');
            }
            ctx.out.put(" tell ");
            print_protocol_address(ctx, arp, arp.sender_protocol());
            break;
        case wire::arp_operation::kReply:
            print_protocol_address(ctx, arp, arp.sender_protocol());
            ctx.out.put(" is-at ");
            print_link_address(ctx, arp.sender_hardware());
            break;
        case wire::arp_operation::kReverseRequest:
        case wire::arp_operation::kInverseRequest:
            ctx.out.put("who-is ");
            print_link_address(ctx, arp.target_hardware());
            ctx.out.put(" tell ");
            print_link_address(ctx, arp.sender_hardware());
            break;
        case wire::arp_operation::kReverseReply:
            print_link_address(ctx, arp.target_hardware());
            ctx.out.put(" at ");
            print_protocol_address(ctx, arp, arp.target_protocol());
            break;
        case wire::arp_operation::kInverseReply:
            print_link_address(ctx, arp.sender_hardware());
            ctx.out.put(" at ");
            print_protocol_address(ctx, arp, arp.sender_protocol());
            break;
        default:
            hex_ascii_dump(ctx.out, bytes);
            return Flow::Ok;
    }
    ctx.out.print(", length {}", length);
    return Flow::Ok;
}

}  // namespace synack::dump
