// Packets in: IPv4 (Linux ip_rcv_core()) and IPv6 (ipv6_rcv(), the extension headers) checked and counted, TCP
// checked (tcp_v4_rcv(): length, checksum) and handed to its connection, request entry, time-wait entry or
// listener — or answered with a reset.
#include "stack/stack.hpp"

#include "tcp/reset.hpp"
#include "tcp/timing.hpp"
#include "wire/ipv4.hpp"
#include "wire/ipv6.hpp"
#include "wire/ipv6_extensions.hpp"

namespace synack::stack {

using tcp::Counter;
using tcp::DropReason;

void Stack::receive(InterfaceId interface, wire::Bytes packet, Instant now) {
    now_ = now;
    rx_interface_ = interface;
    if (packet.empty()) {
        drop_packet(interface, DropReason::kPktTooSmall, nullptr);
        return;
    }
    switch (packet[0] >> 4) {
        case 4: receive_v4(interface, packet); break;
        case 6: receive_v6(interface, packet); break;
        default:
            mib_.inc(Counter::kIpInHdrErrors);
            drop_packet(interface, DropReason::kIpInHdr, nullptr);
            break;
    }
}

void Stack::receive_v4(InterfaceId interface, wire::Bytes packet) {
    mib_.inc(Counter::kIpInReceives);
    const auto ip = wire::Ipv4View::parse_strict(packet);
    if (!ip) {
        mib_.inc(Counter::kIpInHdrErrors);
        drop_packet(interface, ip.error() == wire::ParseError::Truncated ? DropReason::kPktTooSmall : DropReason::kIpInHdr,
                    nullptr);
        return;
    }
    if (!ip->header_checksum_valid()) {
        mib_.inc(Counter::kIpInHdrErrors);
        drop_packet(interface, DropReason::kIpCsum, nullptr);
        return;
    }
    const wire::IpAddress dst(ip->destination());
    if (!routing_.local_index(dst)) {
        mib_.inc(Counter::kIpInAddrErrors);
        drop_packet(interface, DropReason::kOtherHost, nullptr);
        return;
    }
    if (ip->is_fragment()) {
        mib_.inc(Counter::kIpReasmFails);
        drop_packet(interface, DropReason::kFragUnsupported, nullptr);
        return;
    }
    if (ip->protocol() != wire::ip_protocol::kTcp) {
        mib_.inc(Counter::kIpInUnknownProtos);
        drop_packet(interface, DropReason::kIpNoProto, nullptr);
        return;
    }
    mib_.inc(Counter::kIpInDelivers);
    receive_tcp(interface, wire::IpAddress(ip->source()), dst, ip->payload(), ip->tos());
}

void Stack::receive_v6(InterfaceId interface, wire::Bytes packet) {
    mib_.inc(Counter::kIp6InReceives);
    const auto ip = wire::Ipv6View::parse_strict(packet);
    if (!ip) {
        mib_.inc(ip.error() == wire::ParseError::BadTotalLength ? Counter::kIp6InTruncatedPkts : Counter::kIp6InHdrErrors);
        drop_packet(interface, ip.error() == wire::ParseError::Truncated ? DropReason::kPktTooSmall : DropReason::kIpInHdr,
                    nullptr);
        return;
    }
    const wire::IpAddress dst(ip->destination());
    if (!routing_.local_index(dst)) {
        mib_.inc(Counter::kIp6InAddrErrors);
        drop_packet(interface, DropReason::kOtherHost, nullptr);
        return;
    }
    const auto upper = wire::skip_ipv6_extensions(*ip);
    if (!upper) {
        mib_.inc(Counter::kIp6InHdrErrors);
        drop_packet(interface, DropReason::kIpv6BadExtHdr, nullptr);
        return;
    }
    if (upper->protocol == wire::ip_protocol::kFragment || upper->non_first_fragment) {
        mib_.inc(Counter::kIp6ReasmFails);
        drop_packet(interface, DropReason::kFragUnsupported, nullptr);
        return;
    }
    if (upper->protocol != wire::ip_protocol::kTcp) {
        mib_.inc(Counter::kIp6InUnknownProtos);
        drop_packet(interface, DropReason::kIpNoProto, nullptr);
        return;
    }
    mib_.inc(Counter::kIp6InDelivers);
    receive_tcp(interface, wire::IpAddress(ip->source()), dst, upper->payload, ip->traffic_class());
}

// Linux tcp_v4_rcv() / tcp_v6_rcv().
void Stack::receive_tcp(InterfaceId interface, const wire::IpAddress& src, const wire::IpAddress& dst,
                        wire::Bytes bytes, std::uint8_t tos) {
    mib_.inc(Counter::kInSegs);  // "Count it even if it's bad"
    const auto view = wire::TcpView::parse(bytes);
    if (!view) {
        mib_.inc(Counter::kInErrs);
        drop_packet(interface, DropReason::kPktTooSmall, nullptr);
        return;
    }
    const tcp::FlowTuple t{dst, src, view->destination_port(), view->source_port()};
    const bool checksum_ok = src.is_v4() ? view->checksum_valid(src.v4(), dst.v4()) : view->checksum_valid(src.v6(), dst.v6());
    if (!checksum_ok) {
        mib_.inc(Counter::kInCsumErrors);
        mib_.inc(Counter::kInErrs);
        drop_packet(interface, DropReason::kTcpCsum, &t);
        return;
    }
    tcp::Segment seg = tcp::parse_segment(*view);
    seg.tos = tos;

    // One keyed hash for the whole lookup: connections and time-wait entries, then request entries.
    const std::uint64_t hash = flow_hash(t);
    if (const std::uint32_t link = find_entry(t, hash); link != tcp::kNoLink) {
        if ((link & kTimeWaitLink) == 0) {
            Socket& s = *sockets_.at(link);
            s.on_segment(seg, now_);
            settle(s);
        } else {
            segment_for_time_wait(link & ~kTimeWaitLink, seg, t, interface);
        }
        return;
    }
    if (Request* r = find_request(t, hash)) {
        segment_for_request(*r, seg, t, interface);
        return;
    }
    if (Listener* l = find_listener(dst, t.local_port)) {
        segment_for_listener(*l, seg, t, interface);
        return;
    }
    reset_no_socket(seg, t, interface);
}

// RFC 9293 §3.10.7.1: a segment for no connection gets a reset (never a reset for a reset).
void Stack::reset_no_socket(const tcp::Segment& seg, const tcp::FlowTuple& t, InterfaceId interface) {
    drop_packet(interface, DropReason::kNoSocket, &t);
    if (auto rst = tcp::make_reset(seg)) {
        mib_.inc(Counter::kOutSegs);
        mib_.inc(Counter::kOutRsts);
        send_control(t, *rst);
    }
}

tcp::ListenerParams Stack::listener_params(const Listener& l, const wire::IpAddress& remote) const {
    tcp::ListenerParams p;
    p.options = l.options;
    p.v6 = !remote.is_v4();
    const Route* r = routing_.lookup(remote);
    p.mtu = r != nullptr ? routing_.interface(r->interface).mtu : 1500;
    return p;
}

// Linux tcp_rcv_state_process() case TCP_LISTEN and tcp_conn_request(): a SYN makes a request entry and its
// SYN-ACK; anything with ACK gets a reset; anything else is dropped.
void Stack::segment_for_listener(Listener& l, const tcp::Segment& seg, const tcp::FlowTuple& t, InterfaceId interface,
                                 std::optional<tcp::Seq32> isn) {
    if (seg.ack_flag()) {
        reset_no_socket(seg, t, interface);
        return;
    }
    if (seg.rst()) {
        drop_packet(interface, DropReason::kTcpReset, &t);
        return;
    }
    if (!seg.syn() || seg.fin()) {
        drop_packet(interface, DropReason::kTcpFlags, &t);
        return;
    }
    if (l.accept_queue_full()) {
        mib_.inc(Counter::kListenOverflows);
        mib_.inc(Counter::kListenDrops);
        drop_packet(interface, DropReason::kTcpListenOverflow, &t);
        return;
    }
    // inet_csk_reqsk_queue_is_full(): "full" once more requests wait than the backlog (">" since the 2024 fix
    // that made listen(0) usable without cookies). With tcp_syncookies Linux would answer with a cookie here —
    // issue 6's listener limits; until then the SYN is dropped.
    if (l.requests > static_cast<std::uint32_t>(std::max(l.backlog, 0))) {
        mib_.inc(Counter::kListenDrops);
        drop_packet(interface, DropReason::kTcpReqQFullDrop, &t);
        return;
    }
    Request* r = new_request();
    r->listener = &l;
    r->local_address = *routing_.local_index(t.local_address);
    r->local_port = t.local_port;
    r->remote_port = t.remote_port;
    r->remote_address = t.remote_address;
    const tcp::Seq32 iss = isn ? *isn : isn_.isn(t.local_address, t.local_port, t.remote_address, t.remote_port, now_);
    r->state = tcp::open_request(config_, listener_params(l, t.remote_address), seg, iss,
                                 ts_offset_for(t.local_address, t.remote_address), rng_.u32());
    hash_request(*r, flow_hash(t));
    ++l.requests;
    trace_transition(t, ConnectionId{}, tcp::State::kListen, tcp::State::kSynReceived);
    mib_.inc(Counter::kOutSegs);
    send_segment(t, tcp::make_synack(r->state, now_), 0, r->state.txhash);
    request_wheel_.schedule(*r, now_ + tcp::request_retry_delay(r->state));
}

// Linux tcp_check_req() and what tcp_v4_rcv() does with its answer.
void Stack::segment_for_request(Request& r, const tcp::Segment& seg, const tcp::FlowTuple& t, InterfaceId interface) {
    const tcp::RequestDecision d = tcp::check_request(r.state, seg, now_, config_, mib_);
    switch (d.verdict) {
        case tcp::RequestVerdict::kDrop:
            if (d.drop_reason != DropReason::kNotSpecified) drop_packet(interface, d.drop_reason, &t);
            return;
        case tcp::RequestVerdict::kSendAck:
            drop_packet(interface, d.drop_reason, &t);
            mib_.inc(Counter::kOutSegs);
            {
                tcp::OutSegment ack = tcp::make_request_ack(r.state, now_);
                ack.control = true;
                ack.txhash = r.state.txhash;
                send_control(t, ack);
            }
            return;
        case tcp::RequestVerdict::kRetransmitSynAck:
            ++r.state.num_retrans;
            mib_.inc(Counter::kRetransSegs);
            mib_.inc(Counter::kTcpSynRetrans);
            mib_.inc(Counter::kOutSegs);
            send_segment(t, tcp::make_synack(r.state, now_), 0, r.state.txhash);
            request_wheel_.schedule(r, now_ + tcp::request_retry_delay(r.state));
            return;
        case tcp::RequestVerdict::kListenerReset:
            reset_no_socket(seg, t, interface);
            return;
        case tcp::RequestVerdict::kEmbryonicReset: {
            drop_packet(interface, d.drop_reason, &t);
            if (auto rst = tcp::make_reset(seg, r.state.txhash)) {
                mib_.inc(Counter::kOutSegs);
                mib_.inc(Counter::kOutRsts);
                send_control(t, *rst);
            }
            trace_transition(t, ConnectionId{}, tcp::State::kSynReceived, tcp::State::kClosed);
            unhash_request(r);
            --r.listener->requests;
            free_request(&r);
            return;
        }
        case tcp::RequestVerdict::kCreateChild:
            create_child(r, seg, t);
            return;
    }
}

// Linux tcp_v4_syn_recv_sock() and inet_csk_complete_hashdance(): the third ACK makes the connection, which
// joins the listener's accept queue and processes the ACK (tcp_child_process()).
void Stack::create_child(Request& r, const tcp::Segment& seg, const tcp::FlowTuple& t) {
    Listener& l = *r.listener;
    if (l.accept_queue_full()) {
        mib_.inc(Counter::kListenOverflows);
        mib_.inc(Counter::kListenDrops);
        drop_packet(rx_interface_, DropReason::kTcpListenOverflow, &t);
        if (!config_.tcp_abort_on_overflow) {
            r.state.acked = true;  // the SYN-ACK timer will try again
            return;
        }
        if (auto rst = tcp::make_reset(seg, r.state.txhash)) {
            mib_.inc(Counter::kOutSegs);
            mib_.inc(Counter::kOutRsts);
            send_control(t, *rst);
        }
        trace_transition(t, ConnectionId{}, tcp::State::kSynReceived, tcp::State::kClosed);
        unhash_request(r);
        --l.requests;
        free_request(&r);
        return;
    }
    tcp::ConnectionParams p;
    p.tuple = t;
    const Route* route = routing_.lookup(t.remote_address);
    p.mtu = route != nullptr ? routing_.interface(route->interface).mtu : 1500;
    p.iss = r.state.iss;
    p.ts_offset = r.state.ts_offset;
    p.txhash = r.state.txhash;
    p.ip_id = static_cast<std::uint16_t>(rng_.u32());  // Linux: inet_id = get_random_u16()
    p.options = l.options;
    const tcp::RequestState state = r.state;
    const std::uint32_t hash = r.hash;  // the request's 4-tuple is the connection's
    unhash_request(r);
    --l.requests;
    free_request(&r);

    Socket* s = new_socket(p);
    s->open_from_request(state, now_);
    hash_socket(*s, hash);
    s->listener = &l;
    if (l.accept_tail != nullptr) l.accept_tail->accept_next = s;
    else l.accept_head = s;
    l.accept_tail = s;
    ++l.accept_count;
    s->on_segment(seg, now_);
    settle(*s);
    if (events_ != nullptr) events_->on_listener_event(l.id(), StackEvents::kAcceptable);
}

// Linux tcp_timewait_state_process() and what tcp_v4_rcv() does with its answer.
void Stack::segment_for_time_wait(std::uint32_t tw, const tcp::Segment& seg, const tcp::FlowTuple& t,
                                  InterfaceId interface) {
    tcp::TimeWaitEntry& e = time_wait_.at(tw);
    const std::uint32_t ts_offset = ts_offset_for(t.local_address, t.remote_address);
    const bool was_fin_wait2 = e.fin_wait2();
    const tcp::TimeWaitDecision d = tcp::time_wait_process(e, seg, ts_offset, now_, config_, mib_);
    if (was_fin_wait2 && !e.fin_wait2()) trace_transition(t, ConnectionId{}, tcp::State::kFinWait2, tcp::State::kTimeWait);
    if (d.reschedule) {
        e.deadline_ms = tcp::ms_of(now_) + static_cast<std::uint32_t>(tcp::to_ms(tcp::kTimeWaitLen));
        time_wait_.reschedule(tw);
    }
    auto kill = [&]() {
        trace_transition(t, ConnectionId{}, e.fin_wait2() ? tcp::State::kFinWait2 : tcp::State::kTimeWait,
                         tcp::State::kClosed);
        unhash_time_wait(tw);
        time_wait_.erase(tw);
    };
    auto send_ack = [&]() {
        mib_.inc(Counter::kOutSegs);
        send_control(t, tcp::make_time_wait_ack(e, ts_offset, now_));
    };
    switch (d.verdict) {
        case tcp::TimeWaitVerdict::kConsume:
            if (d.drop_reason != DropReason::kNotSpecified) drop_packet(interface, d.drop_reason, &t);
            return;
        case tcp::TimeWaitVerdict::kAck:
            if (d.drop_reason != DropReason::kNotSpecified) drop_packet(interface, d.drop_reason, &t);
            send_ack();
            return;
        case tcp::TimeWaitVerdict::kReset:
            if (auto rst = tcp::make_reset(seg, e.txhash)) {
                mib_.inc(Counter::kOutSegs);
                mib_.inc(Counter::kOutRsts);
                send_control(t, *rst);
            }
            kill();
            return;
        case tcp::TimeWaitVerdict::kKill:
            kill();
            return;
        case tcp::TimeWaitVerdict::kSyn:
            if (Listener* l = find_listener(t.local_address, t.local_port)) {
                kill();
                segment_for_listener(*l, seg, t, interface, d.isn);
                return;
            }
            send_ack();  // no listener: Linux falls through to the time-wait ACK
            return;
    }
}

}  // namespace synack::stack
