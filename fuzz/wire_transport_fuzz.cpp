// Feeds arbitrary bytes to every transport-layer parser and iterator in wire/ (TCP and its options, UDP, ICMPv4,
// ICMPv6 and ND options), touches every accessor, and checks that what parsed can be rebuilt byte for byte by the
// matching builder. ASan/UBSan catch out-of-bounds reads; a broken invariant traps.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "wire/icmpv4.hpp"
#include "wire/icmpv6.hpp"
#include "wire/tcp.hpp"
#include "wire/tcp_options.hpp"
#include "wire/udp.hpp"

namespace {

using namespace synack::wire;

volatile std::uint64_t g_sink = 0;

void sink(std::uint64_t v) { g_sink = g_sink + v; }
void sink(Bytes b) {
    for (std::uint8_t x : b) sink(x);
}
void sink(const Ipv4Address& a) { sink(a.octets); }
void sink(const Ipv6Address& a) { sink(a.octets); }

void require(bool condition) {
    if (!condition) __builtin_trap();
}

bool same(Bytes a, Bytes b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] != b[i]) return false;
    }
    return true;
}

const Ipv4Address kSrc4 = Ipv4Address::from_u32(0x0a000001);
const Ipv4Address kDst4 = Ipv4Address::from_u32(0xc0a80102);
const Ipv6Address kSrc6 = {{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};
const Ipv6Address kDst6 = {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}};

template <typename R>
void sink_result(const R& r) {
    sink(r.ok() ? 1 : 2 + static_cast<std::uint64_t>(r.error()));
}

void touch_tcp_option(const TcpOption& o) {
    sink(o.kind());
    sink(o.length());
    sink(o.data());
    sink(o.offset());
    require(o.raw().size() == o.length());
    require(o.data().size() + (o.length() > 1 ? 2 : 1) == o.length());
    if (auto r = o.as_mss()) sink(*r); else sink_result(r);
    if (auto r = o.as_window_scale()) sink(*r); else sink_result(r);
    sink_result(o.as_sack_permitted());
    if (auto r = o.as_sack_blocks()) {
        require(r->size() <= kMaxSackBlocks);
        for (const SackBlock& b : *r) sink(b.right.distance_from(b.left));
    } else {
        sink_result(r);
    }
    if (auto r = o.as_timestamps()) sink(r->value ^ r->echo_reply); else sink_result(r);
    if (auto r = o.as_fast_open_cookie()) {
        sink(r->cookie);
        sink(r->experimental);
        const std::size_t n = r->cookie.size();
        require(n == 0 || (n >= kFastOpenCookieMin && n <= kFastOpenCookieMax && n % 2 == 0));
    } else {
        sink_result(r);
    }
    if (auto r = o.as_md5_signature()) require(r->size() == 16); else sink_result(r);
    if (auto r = o.as_authentication()) { sink(r->key_id); sink(r->rnext_key_id); sink(r->mac); } else sink_result(r);
    if (auto r = o.as_mptcp()) { sink(r->subtype); sink(r->data); } else sink_result(r);
    if (auto r = o.as_user_timeout()) { sink(r->timeout); sink(r->granularity_minutes); } else sink_result(r);
    if (auto r = o.as_experiment_id()) sink(*r); else sink_result(r);
}

// Walks options, touching each, and re-emits them with TcpOptionsBuilder::raw: the bytes up to the walk's end
// must come back unchanged.
void walk_tcp_options(Bytes options) {
    TcpOptionIterator it(options);
    TcpOptionsBuilder rebuilt;
    while (!it.at_end()) {
        const std::size_t before = it.offset();
        auto opt = it.next();
        if (!opt) {
            require(opt.error() == ParseError::BadOptionLength);
            require(it.at_end() && it.offset() == before && !it.remaining().empty());
            break;
        }
        require(opt->offset() == before && it.offset() == before + opt->length());
        touch_tcp_option(*opt);
        rebuilt.raw(opt->raw());
    }
    sink(it.remaining());
    require(it.next().error() == ParseError::Truncated);
    if (options.size() <= kMaxTcpOptionBytes) {
        require(!rebuilt.overflowed());
        require(same(Bytes(rebuilt.bytes()).first(rebuilt.unpadded_size()), options.first(it.offset())));
    }
    sink_result(validate_tcp_options(options));
}

void fuzz_tcp(Bytes data) {
    walk_tcp_options(data);
    auto parsed = TcpView::parse(data);
    if (!parsed) {
        require(data.size() < TcpView::kMinHeaderLength || (data[12] >> 4) < 5 ||
                (data[12] >> 4) * 4u > data.size());
        return;
    }
    const TcpView v = *parsed;
    sink(v.source_port());
    sink(v.destination_port());
    sink(v.seq().raw());
    sink(v.ack().raw());
    sink(v.window());
    sink(v.urgent_pointer());
    sink(v.has_flags(tcp_flags::kSyn | tcp_flags::kAck));
    require(v.header_length() == std::size_t{v.data_offset()} * 4);
    require(v.header_length() >= TcpView::kMinHeaderLength && v.header_length() <= TcpView::kMaxHeaderLength);
    require(v.header().size() + v.payload().size() == data.size());
    require(v.options().size() + TcpView::kMinHeaderLength == v.header_length());
    require(v.bytes().size() == data.size());
    walk_tcp_options(v.options());
    sink(v.option_iterator().at_end());
    const std::uint16_t e4 = v.expected_checksum(kSrc4, kDst4);
    const std::uint16_t e6 = v.expected_checksum(kSrc6, kDst6);
    if (e4 == v.checksum()) require(v.checksum_valid(kSrc4, kDst4));
    if (e6 == v.checksum()) require(v.checksum_valid(kSrc6, kDst6));

    // Rebuild: the same fields give the same bytes.
    TcpBuilder b;
    b.source_port = v.source_port();
    b.destination_port = v.destination_port();
    b.seq = v.seq();
    b.ack = v.ack();
    b.flags = v.flags();
    b.reserved_bits = v.reserved_bits();
    b.window = v.window();
    b.urgent_pointer = v.urgent_pointer();
    b.options = v.options();
    require(b.size() == v.header_length());
    std::vector<std::uint8_t> out(b.size());
    b.write(out, v.payload(), kSrc4, kDst4);
    require(load_be16(out.data() + 16) == e4);
    b.checksum = v.checksum();
    b.write(out, v.payload(), kSrc6, kDst6);
    require(same(out, v.header()));
}

void fuzz_udp(Bytes data) {
    auto lenient = UdpView::parse(data);
    auto strict = UdpView::parse_strict(data);
    require(!strict || lenient);
    if (!lenient) {
        require(data.size() < UdpView::kHeaderLength || load_be16(data.data() + 4) < UdpView::kHeaderLength);
        return;
    }
    const UdpView v = *lenient;
    sink(v.source_port());
    sink(v.destination_port());
    sink(v.header_length());
    sink(v.header());
    sink(v.payload());
    require(v.datagram().size() == UdpView::kHeaderLength + v.payload().size());
    require(v.datagram().size() <= v.length());
    require(strict.ok() == !v.payload_truncated());
    const std::uint16_t e4 = v.expected_checksum(kSrc4, kDst4);
    const std::uint16_t e6 = v.expected_checksum(kSrc6, kDst6);
    require(e4 != 0 && e6 != 0);
    if (e4 == v.checksum() || v.checksum() == 0) require(v.checksum_valid(kSrc4, kDst4));
    if (e6 == v.checksum()) require(v.checksum_valid(kSrc6, kDst6));
    if (v.checksum() == 0) require(!v.checksum_valid(kSrc6, kDst6));

    UdpBuilder b;
    b.source_port = v.source_port();
    b.destination_port = v.destination_port();
    std::vector<std::uint8_t> out(b.size());
    if (!v.payload_truncated()) {
        b.write(out, v.payload(), kSrc4, kDst4);
        require(load_be16(out.data() + 4) == v.length());
        require(load_be16(out.data() + 6) == e4);
    }
    b.length = v.length();
    b.checksum = v.checksum();
    b.write(out, v.payload(), kSrc6, kDst6);
    require(same(out, v.header()));
}

void fuzz_icmpv4(Bytes data) {
    auto parsed = Icmpv4View::parse(data);
    if (!parsed) {
        require(data.size() < Icmpv4View::kHeaderLength);
        return;
    }
    const Icmpv4View v = *parsed;
    sink(v.type());
    sink(v.code());
    sink(v.identifier());
    sink(v.sequence());
    sink(v.next_hop_mtu());
    sink(v.gateway());
    sink(v.pointer());
    sink(v.original_datagram_words());
    sink(v.header_length());
    sink(v.header());
    sink(v.quoted());
    sink(v.bytes());
    require(v.is_error() ? v.quoted().size() == v.payload().size() : v.quoted().empty());
    const std::uint16_t expected = v.expected_checksum();
    if (expected == v.checksum()) require(v.checksum_valid());

    Icmpv4Builder b;
    b.type = v.type();
    b.code = v.code();
    b.rest_of_header = v.rest_of_header();
    std::vector<std::uint8_t> out(b.size());
    b.write(out, v.payload());
    require(load_be16(out.data() + 2) == expected);
    b.checksum = v.checksum();
    b.write(out, v.payload());
    require(same(out, v.header()));
}

void walk_nd_options(Bytes options) {
    NdOptionIterator it(options);
    NdOptionsBuilder rebuilt;
    while (!it.at_end()) {
        const std::size_t before = it.offset();
        auto opt = it.next();
        if (!opt) {
            require(opt.error() == ParseError::BadOptionLength && it.at_end() && it.offset() == before);
            break;
        }
        require(opt->size() == std::size_t{opt->length()} * 8 && opt->size() > 0);
        require(opt->offset() == before && it.offset() == before + opt->size());
        sink(opt->type());
        sink(opt->data());
        sink(opt->raw());
        if (auto r = opt->as_link_layer_address()) sink(*r); else sink_result(r);
        if (auto r = opt->as_mac_address()) sink(r->octets); else sink_result(r);
        if (auto r = opt->as_prefix_information()) {
            sink(r->prefix_length);
            sink(r->on_link() + r->autonomous() + r->router_address());
            sink(r->valid_lifetime ^ r->preferred_lifetime);
            sink(r->prefix);
        } else {
            sink_result(r);
        }
        if (auto r = opt->as_mtu()) sink(*r); else sink_result(r);
        if (auto r = opt->as_redirected_header()) sink(*r); else sink_result(r);
        rebuilt.option(opt->type(), opt->data());
    }
    sink(it.remaining());
    require(same(rebuilt.bytes(), options.first(it.offset())));
    sink_result(validate_nd_options(options));
}

void fuzz_icmpv6(Bytes data) {
    walk_nd_options(data);
    auto parsed = Icmpv6View::parse(data);
    if (!parsed) {
        require(data.size() < Icmpv6View::kMinHeaderLength || data.size() < icmpv6_fixed_length(data[0]));
        return;
    }
    const Icmpv6View v = *parsed;
    sink(v.type());
    sink(v.code());
    sink(v.identifier());
    sink(v.sequence());
    sink(v.mtu());
    sink(v.pointer());
    sink(v.router_flag() + v.solicited_flag() + v.override_flag());
    sink(v.target());
    sink(v.redirect_destination());
    sink(v.cur_hop_limit());
    sink(v.ra_flags());
    sink(v.managed_flag() + v.other_config_flag());
    sink(v.router_preference());
    sink(v.router_lifetime());
    sink(v.reachable_time());
    sink(v.retrans_timer());
    sink(v.header());
    sink(v.quoted());
    sink(v.bytes());
    require(v.header().size() + v.payload().size() == data.size());
    require(v.is_error() ? v.quoted().size() == v.payload().size() : v.quoted().empty());
    walk_nd_options(v.nd_options());
    const std::uint16_t expected = v.expected_checksum(kSrc6, kDst6);
    if (expected == v.checksum()) require(v.checksum_valid(kSrc6, kDst6));

    Icmpv6Builder b;
    b.type = v.type();
    b.code = v.code();
    b.rest_of_header = v.rest_of_header();
    const Bytes tail = v.header().subspan(Icmpv6View::kMinHeaderLength);
    std::copy(tail.begin(), tail.end(), b.fixed_tail.begin());
    b.fixed_tail_length = tail.size();
    require(b.size() == v.header_length());
    std::vector<std::uint8_t> out(b.size());
    b.write(out, v.payload(), kSrc6, kDst6);
    require(load_be16(out.data() + 2) == expected);
    b.checksum = v.checksum();
    b.write(out, v.payload(), kSrc6, kDst6);
    require(same(out, v.header()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Bytes bytes(data, size);
    fuzz_tcp(bytes);
    fuzz_udp(bytes);
    fuzz_icmpv4(bytes);
    fuzz_icmpv6(bytes);
    return 0;
}
