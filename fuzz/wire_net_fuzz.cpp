// Feeds one input to every link- and network-layer parser of wire/ — as an Ethernet frame (through any VLAN
// tags), as Linux cooked v1 and v2 captures, and directly as ARP, IPv4, IPv6, option and extension header bytes —
// reading every accessor and every byte of every span a view hands out, so ASan/UBSan see any read out of bounds.
// Where a header parses, a builder fed its fields must write the same bytes back (abort otherwise).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "wire/arp.hpp"
#include "wire/ethernet.hpp"
#include "wire/ipv4.hpp"
#include "wire/ipv4_options.hpp"
#include "wire/ipv6.hpp"
#include "wire/ipv6_extensions.hpp"
#include "wire/linux_sll.hpp"

namespace {

using namespace synack::wire;

volatile std::uint64_t g_sink = 0;

void touch(std::uint64_t v) { g_sink = g_sink + v; }

void touch(Bytes b) {
    std::uint64_t sum = 0;
    for (const std::uint8_t byte : b) sum += byte;
    touch(sum + b.size());
}

void check(bool ok) {
    if (!ok) std::abort();
}

// `inner` must lie within `outer`.
void check_within(Bytes inner, Bytes outer) {
    if (inner.empty()) return;
    check(inner.data() >= outer.data() && inner.data() + inner.size() <= outer.data() + outer.size());
}

void check_same(Bytes a, const std::vector<std::uint8_t>& b) {
    check(a.size() == b.size() && std::memcmp(a.data(), b.data(), b.size()) == 0);
}

void fuzz_ipv4_options(Bytes options) {
    Ipv4OptionIterator it(options);
    std::size_t steps = 0;
    while (!it.at_end()) {
        check(++steps <= options.size() + 1);  // each option takes a byte; an error ends it
        auto option = it.next();
        touch(it.offset());
        if (!option) {
            touch(static_cast<std::uint64_t>(option.error()));
            check(it.at_end());
            break;
        }
        touch(option->type);
        touch(option->length());
        touch(option->data);
        check_within(option->data, options);
        if (auto route = option->as_route()) {
            touch(route->pointer);
            touch(route->route);
            for (std::size_t i = 0; i < route->address_count(); ++i) touch(route->address(i).to_u32());
            check(route->filled_count() <= route->address_count());
        }
        if (auto ts = option->as_timestamp()) {
            touch(ts->pointer + ts->overflow + ts->flag);
            for (std::size_t i = 0; i < ts->entry_count(); ++i) {
                const auto entry = ts->entry(i);
                touch(entry.address.to_u32() + entry.timestamp);
            }
            check(ts->filled_count() <= ts->entry_count());
        }
        if (auto alert = option->as_router_alert()) touch(*alert);
    }
    touch(validate_ipv4_options(options).ok());
}

void fuzz_ipv4_view(const Ipv4View& ip, Bytes input) {
    touch(ip.version() + ip.ihl() + ip.tos() + ip.dscp() + ip.ecn() + ip.total_length() + ip.identification());
    touch(ip.reserved_flag() + ip.dont_fragment() + ip.more_fragments() + ip.fragment_offset() + ip.is_fragment());
    touch(ip.ttl() + ip.protocol() + ip.checksum() + ip.source().to_u32() + ip.destination().to_u32());
    touch(ip.header());
    touch(ip.options());
    touch(ip.payload());
    touch(ip.padding());
    touch(ip.payload_truncated() + ip.header_checksum_valid());
    check(ip.header_length() >= Ipv4View::kMinHeaderLength && ip.header_length() <= Ipv4View::kMaxHeaderLength);
    check(ip.header().size() == ip.header_length() && ip.total_length() >= ip.header_length());
    check(ip.payload_truncated() == (ip.header_length() + ip.payload().size() < ip.total_length()));
    check_within(ip.header(), input);
    check_within(ip.payload(), input);
    check_within(ip.padding(), input);
    fuzz_ipv4_options(ip.options());

    Ipv4Builder b;
    b.tos = ip.tos();
    b.identification = ip.identification();
    b.reserved_flag = ip.reserved_flag();
    b.dont_fragment = ip.dont_fragment();
    b.more_fragments = ip.more_fragments();
    b.fragment_offset = ip.fragment_offset();
    b.ttl = ip.ttl();
    b.protocol = ip.protocol();
    b.source = ip.source();
    b.destination = ip.destination();
    b.options.assign(ip.options().begin(), ip.options().end());
    b.total_length = ip.total_length();
    b.checksum = ip.checksum();
    std::vector<std::uint8_t> out(b.size());
    b.write(out);
    check_same(ip.header(), out);
}

void fuzz_ipv4(Bytes bytes) {
    if (auto ip = Ipv4View::parse(bytes)) fuzz_ipv4_view(*ip, bytes);
    if (auto ip = Ipv4View::parse_strict(bytes)) {
        check(!ip->payload_truncated());
        fuzz_ipv4_view(*ip, bytes);
    }
}

void fuzz_ipv6_options(Bytes options) {
    Ipv6OptionIterator it(options);
    std::size_t steps = 0;
    while (!it.at_end()) {
        check(++steps <= options.size() + 1);  // each option takes a byte; an error ends it
        auto option = it.next();
        touch(it.offset());
        if (!option) {
            check(it.at_end());
            break;
        }
        touch(option->type + option->length() + ipv6_option::action(option->type) +
              ipv6_option::may_change(option->type));
        touch(option->data);
        check_within(option->data, options);
        if (auto v = option->as_jumbo_payload()) touch(*v);
        if (auto v = option->as_router_alert()) touch(*v);
        if (auto v = option->as_tunnel_encapsulation_limit()) touch(*v);
    }
}

void fuzz_ipv6_fragment(Bytes bytes) {
    auto fragment = Ipv6FragmentView::parse(bytes);
    if (!fragment) return;
    touch(fragment->next_header() + fragment->reserved() + fragment->fragment_offset() + fragment->reserved_bits() +
          fragment->more_fragments() + fragment->identification() + fragment->is_atomic());
    touch(fragment->header());
    touch(fragment->payload());
    const Ipv6FragmentBuilder b{fragment->next_header(), fragment->reserved(), fragment->fragment_offset(),
                                fragment->reserved_bits(), fragment->more_fragments(), fragment->identification()};
    std::vector<std::uint8_t> out(b.size());
    b.write(out);
    check_same(fragment->header(), out);
}

void fuzz_ipv6_routing(Bytes bytes) {
    auto routing = Ipv6RoutingView::parse(bytes);
    if (!routing) return;
    touch(routing->next_header() + routing->header_ext_length() + routing->routing_type() + routing->segments_left());
    touch(routing->last_entry() + routing->srh_flags() + routing->srh_tag());
    touch(routing->header());
    touch(routing->payload());
    touch(routing->type_data());
    touch(routing->trailer());
    check_within(routing->trailer(), routing->header());
    check(8 + 16 * routing->address_count() <= routing->header_length());
    for (std::size_t i = 0; i < routing->address_count(); ++i) touch(routing->address(i).octets[15]);
}

void fuzz_ipv6_authentication(Bytes bytes) {
    auto ah = Ipv6AuthenticationView::parse(bytes);
    if (!ah) return;
    touch(ah->next_header() + ah->payload_length_field() + ah->reserved() + ah->spi() + ah->sequence());
    touch(ah->header());
    touch(ah->icv());
    touch(ah->payload());
}

void fuzz_ipv6_chain(Ipv6ExtensionWalker walker, Bytes payload) {
    std::size_t steps = 0;
    while (!walker.at_end()) {
        check(++steps <= payload.size() + 1);  // each header takes bytes; an error ends it
        auto extension = walker.next();
        if (!extension) {
            touch(static_cast<std::uint64_t>(extension.error()));
            check(walker.at_end());
            break;
        }
        touch(extension->type + extension->next_header);
        touch(extension->header);
        touch(extension->data());
        check_within(extension->header, payload);
        switch (extension->type) {
            case ip_protocol::kHopByHop:
            case ip_protocol::kDestinationOptions:
                fuzz_ipv6_options(extension->data());
                break;
            case ip_protocol::kFragment: fuzz_ipv6_fragment(extension->header); break;
            case ip_protocol::kRouting: fuzz_ipv6_routing(extension->header); break;
            case ip_protocol::kAh: fuzz_ipv6_authentication(extension->header); break;
            default: break;
        }
    }
    touch(walker.upper_protocol() + walker.offset() + walker.stopped_at_fragment());
    touch(walker.upper_payload());
    check_within(walker.upper_payload(), payload);
}

void fuzz_ipv6_view(const Ipv6View& ip, Bytes input) {
    touch(ip.version() + ip.traffic_class() + ip.dscp() + ip.ecn() + ip.flow_label() + ip.payload_length());
    touch(ip.next_header() + ip.hop_limit() + ip.source().octets[0] + ip.destination().octets[15]);
    touch(ip.declared_payload_length() + ip.jumbo_payload_length().value_or(0) + ip.payload_truncated());
    touch(ip.header());
    touch(ip.payload());
    touch(ip.padding());
    check(ip.payload_truncated() == (ip.payload().size() < ip.declared_payload_length()));
    check_within(ip.payload(), input);
    check_within(ip.padding(), input);
    fuzz_ipv6_chain(Ipv6ExtensionWalker(ip), ip.payload());
    fuzz_ipv6_chain(Ipv6ExtensionWalker(ip, true), ip.payload());
    if (auto upper = skip_ipv6_extensions(ip)) {
        touch(upper->protocol + upper->extension_length + upper->non_first_fragment);
        touch(upper->payload);
    }

    Ipv6Builder b;
    b.traffic_class = ip.traffic_class();
    b.flow_label = ip.flow_label();
    b.payload_length = ip.payload_length();
    b.next_header = ip.next_header();
    b.hop_limit = ip.hop_limit();
    b.source = ip.source();
    b.destination = ip.destination();
    std::vector<std::uint8_t> out(b.size());
    b.write(out);
    check_same(ip.header(), out);
}

void fuzz_ipv6(Bytes bytes) {
    if (auto ip = Ipv6View::parse(bytes)) fuzz_ipv6_view(*ip, bytes);
    if (auto ip = Ipv6View::parse_strict(bytes)) {
        check(!ip->payload_truncated());
        fuzz_ipv6_view(*ip, bytes);
    }
}

void fuzz_arp(Bytes bytes) {
    auto arp = ArpView::parse(bytes);
    if (!arp) return;
    touch(arp->hardware_type() + arp->protocol_type() + arp->hardware_length() + arp->protocol_length() +
          arp->operation());
    touch(arp->header());
    touch(arp->payload());
    touch(arp->sender_hardware());
    touch(arp->sender_protocol());
    touch(arp->target_hardware());
    touch(arp->target_protocol());
    check_within(arp->target_protocol(), arp->header());
    const auto sender_mac = arp->sender_mac();
    const auto sender_ipv4 = arp->sender_ipv4();
    const auto target_mac = arp->target_mac();
    const auto target_ipv4 = arp->target_ipv4();
    check(sender_mac.has_value() == arp->is_ethernet_ipv4() && target_ipv4.has_value() == arp->is_ethernet_ipv4());
    if (!arp->is_ethernet_ipv4()) return;
    const ArpBuilder b{arp->hardware_type(), arp->protocol_type(), arp->operation(), *sender_mac, *sender_ipv4,
                       *target_mac, *target_ipv4};
    std::vector<std::uint8_t> out(b.size());
    b.write(out);
    check_same(arp->header(), out);
}

// What follows a link-layer header with this EtherType.
void fuzz_network(std::uint16_t type, Bytes payload) {
    switch (type) {
        case ether_type::kIpv4: fuzz_ipv4(payload); break;
        case ether_type::kIpv6: fuzz_ipv6(payload); break;
        case ether_type::kArp: fuzz_arp(payload); break;
        default: break;
    }
}

void fuzz_ethernet(Bytes bytes) {
    auto eth = EthernetView::parse(bytes);
    if (!eth) return;
    touch(eth->destination().octets[0] + eth->source().octets[5] + eth->ether_type());
    touch(eth->header());
    touch(eth->payload());
    std::vector<std::uint8_t> out(EthernetView::kHeaderLength);
    EthernetBuilder{eth->destination(), eth->source(), eth->ether_type()}.write(out);
    check_same(eth->header(), out);

    // Tag by tag, then all at once.
    std::uint16_t type = eth->ether_type();
    Bytes payload = eth->payload();
    std::size_t tags = 0;
    while (ether_type::is_vlan_tpid(type)) {
        auto tag = VlanTagView::parse(payload);
        if (!tag) break;
        touch(tag->tci() + tag->priority() + tag->drop_eligible() + tag->vlan_id() + tag->ether_type());
        touch(tag->header());
        std::vector<std::uint8_t> tag_out(VlanTagView::kHeaderLength);
        VlanTagBuilder{tag->priority(), tag->drop_eligible(), tag->vlan_id(), tag->ether_type()}.write(tag_out);
        check_same(tag->header(), tag_out);
        type = tag->ether_type();
        payload = tag->payload();
        ++tags;
    }
    if (auto untagged = skip_vlan_tags(eth->ether_type(), eth->payload())) {
        check(untagged->ether_type == type && untagged->vlan_tags == tags && untagged->payload.data() == payload.data());
        fuzz_network(untagged->ether_type, untagged->payload);
    }
}

void fuzz_sll(Bytes bytes) {
    if (auto sll = LinuxSllView::parse(bytes)) {
        touch(sll->packet_type() + sll->arphrd_type() + sll->address_length() + sll->protocol());
        touch(sll->header());
        touch(sll->address());
        touch(sll->payload());
        check_within(sll->address(), sll->header());
        LinuxSllBuilder b{sll->packet_type(), sll->arphrd_type(), sll->address_length(), {}, sll->protocol()};
        std::memcpy(b.address.data(), sll->header().data() + 6, b.address.size());
        std::vector<std::uint8_t> out(b.size());
        b.write(out);
        check_same(sll->header(), out);
        fuzz_network(sll->protocol(), sll->payload());
    }
    if (auto sll = LinuxSll2View::parse(bytes)) {
        touch(sll->protocol() + sll->reserved() + sll->interface_index() + sll->arphrd_type() + sll->packet_type() +
              sll->address_length());
        touch(sll->header());
        touch(sll->address());
        touch(sll->payload());
        check_within(sll->address(), sll->header());
        LinuxSll2Builder b{sll->protocol(),    sll->reserved(),       sll->interface_index(), sll->arphrd_type(),
                           sll->packet_type(), sll->address_length(), {}};
        std::memcpy(b.address.data(), sll->header().data() + 12, b.address.size());
        std::vector<std::uint8_t> out(b.size());
        b.write(out);
        check_same(sll->header(), out);
        fuzz_network(sll->protocol(), sll->payload());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Copy into an exactly-sized heap buffer so ASan catches a read even one byte past the end.
    const std::vector<std::uint8_t> copy(data, data + size);
    const Bytes bytes(copy);

    fuzz_ethernet(bytes);
    fuzz_sll(bytes);
    fuzz_arp(bytes);
    fuzz_ipv4(bytes);
    fuzz_ipv6(bytes);
    fuzz_ipv4_options(bytes);
    fuzz_ipv6_options(bytes);
    fuzz_ipv6_fragment(bytes);
    fuzz_ipv6_routing(bytes);
    fuzz_ipv6_authentication(bytes);
    // The extension chain on its own, with the first byte as the first next header and the second as how much of
    // the rest the (imaginary) IP header declares: from none of it to about twice what is present.
    if (size >= 2) {
        const Bytes rest = bytes.subspan(2);
        const std::size_t declared = rest.size() * bytes[1] / 128;
        fuzz_ipv6_chain(Ipv6ExtensionWalker(bytes[0], rest, declared, (bytes[1] & 1) != 0), rest);
    }
    return 0;
}
