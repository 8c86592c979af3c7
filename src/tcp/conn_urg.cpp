// Urgent data (RFC 9293 §3.8.5, RFC 6093) as Linux receives it with SO_OOBINLINE off: tcp_urg() and
// tcp_check_urg(). The urgent pointer is honoured in sequence space — with tcp_stdurg 0 (BSD, Linux's default)
// it points one past the urgent byte — and that byte is taken out of the normal stream: a read stops at the mark
// and the next one skips the byte (tcp_recvmsg_locked(), conn_app.cpp).
#include <algorithm>

#include "tcp/connection.hpp"

namespace synack::tcp {

namespace {
constexpr std::uint16_t kUrgValid = 0x0100;   // TCP_URG_VALID
constexpr std::uint16_t kUrgNotYet = 0x0200;  // TCP_URG_NOTYET
}  // namespace

void Connection::urg(const Segment& seg) {
    // tcp_check_urg(): a new urgent pointer?
    if (seg.has(wire::tcp_flags::kUrg)) {
        std::uint32_t ptr = seg.urgent_pointer;
        if (ptr != 0 && !sysctls().tcp_stdurg) --ptr;
        const Seq32 urg = seg.seq + ptr;
        const bool stale = wire::after(copied_seq_, urg) ||              // already seen and read
                           wire::before(urg, rcv_nxt_) ||                 // "do not replay urg ptr"
                           (urg_data_ != 0 && !wire::after(urg, urg_seq_));  // not newer than the one we have
        if (!stale) {
            // The last urgent byte, never read, sits at the head of the queue: it is out of the stream.
            if (urg_seq_ == copied_seq_ && urg_data_ != 0 && copied_seq_ != rcv_nxt_ && rcv_buf_.size() != 0) {
                copied_seq_ += 1;
                rcv_buf_.consume(1);
            }
            urg_data_ = kUrgNotYet;
            urg_seq_ = urg;
        }
    }
    // Is the urgent byte we wait for in this segment?
    if (urg_data_ == kUrgNotYet) {
        const std::uint32_t offset = urg_seq_.distance_from(seg.seq) - (seg.syn() ? 1 : 0);
        if (offset < seg.payload.size()) {
            urg_data_ = static_cast<std::uint16_t>(kUrgValid | seg.payload[offset]);
            if (!orphaned_) notify(event::kReadable);
        }
    }
}

}  // namespace synack::tcp

namespace synack::tcp {

// 1 when the next byte to read is the urgent byte (out of the stream), else 0.
std::size_t Connection::urgent_at_head() const noexcept {
    return urg_data_ != 0 && urg_seq_ == copied_seq_ && rcv_buf_.size() != 0 ? 1 : 0;
}

// The copy of Linux tcp_recvmsg_locked() around the urgent mark: a read stops before the mark ("if (copied)
// break"); a read at the mark skips the urgent byte (SO_OOBINLINE off) and goes on. Consumes unless `peek`.
std::size_t Connection::copy_received(wire::MutableBytes out, bool peek) noexcept {
    const std::size_t skip = urgent_at_head();
    std::size_t len = std::min<std::size_t>(out.size(), rcv_buf_.size() - skip);
    if (urg_data_ != 0 && skip == 0) {
        const std::uint32_t to_mark = urg_seq_.distance_from(copied_seq_);
        if (to_mark < rcv_buf_.size()) len = std::min<std::size_t>(len, to_mark);
    }
    std::size_t n = 0;
    for (const wire::Bytes piece : rcv_buf_.peek(skip, len)) {
        std::copy(piece.begin(), piece.end(), out.begin() + static_cast<std::ptrdiff_t>(n));
        n += piece.size();
    }
    if (!peek) {
        rcv_buf_.consume(static_cast<std::uint32_t>(skip + n));
        copied_seq_ += static_cast<std::uint32_t>(skip + n);
        if (urg_data_ != 0 && wire::after(copied_seq_, urg_seq_)) urg_data_ = 0;
        if (ofo_.empty()) rcv_buf_.release_if_empty(host_->buffers());
    }
    return n;
}

}  // namespace synack::tcp
