#include "tcp/segment.hpp"

#include <algorithm>

namespace synack::tcp {

// Linux tcp_parse_options(), after tcp_fast_parse_options()'s shortcuts: no options at all, or exactly the
// aligned timestamp option (NOP NOP 08 0a) that every segment of a connection with timestamps carries.
SegmentOptions parse_options(wire::Bytes options, bool syn) noexcept {
    SegmentOptions out;
    if (options.empty()) return out;
    if (options.size() == 12 && options[0] == wire::tcp_option_kind::kNop && options[1] == wire::tcp_option_kind::kNop &&
        options[2] == wire::tcp_option_kind::kTimestamps && options[3] == 10) {
        out.has_timestamps = true;
        out.tsval = wire::load_be32(options.data() + 4);
        out.tsecr = wire::load_be32(options.data() + 8);
        return out;
    }
    wire::TcpOptionIterator it(options);
    while (!it.at_end()) {
        auto option = it.next();
        if (!option) break;  // framing error: Linux stops parsing here too
        switch (option->kind()) {
            case wire::tcp_option_kind::kMss:
                if (syn) {
                    if (auto mss = option->as_mss(); mss && *mss != 0) out.mss = *mss;
                }
                break;
            case wire::tcp_option_kind::kWindowScale:
                if (syn) {
                    if (auto ws = option->as_window_scale()) {
                        out.has_window_scale = true;
                        out.window_scale = std::min(*ws, kMaxWindowScale);
                    }
                }
                break;
            case wire::tcp_option_kind::kSackPermitted:
                if (syn && option->as_sack_permitted()) out.sack_permitted = true;
                break;
            case wire::tcp_option_kind::kTimestamps:
                if (auto ts = option->as_timestamps()) {
                    out.has_timestamps = true;
                    out.tsval = ts->value;
                    out.tsecr = ts->echo_reply;
                }
                break;
            case wire::tcp_option_kind::kSack:
                if (auto blocks = option->as_sack_blocks(); blocks && blocks->size() > 0) out.sack = *blocks;
                break;
            default:
                break;
        }
    }
    return out;
}

Segment parse_segment(const wire::TcpView& view) noexcept {
    Segment s;
    s.source_port = view.source_port();
    s.destination_port = view.destination_port();
    s.seq = view.seq();
    s.ack = view.ack();
    s.flags = view.flags();
    s.window = view.window();
    s.urgent_pointer = view.urgent_pointer();
    s.payload = view.payload();
    s.options = parse_options(view.options(), view.has_flags(wire::tcp_flags::kSyn));
    return s;
}

}  // namespace synack::tcp
