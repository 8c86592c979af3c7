#include "tcp/out_segment.hpp"

namespace synack::tcp {

// Linux tcp_options_write().
void write_options(const OutOptions& o, wire::TcpOptionsBuilder& out) noexcept {
    if (o.mss != 0) out.mss(o.mss);
    bool sack_permitted = o.sack_permitted;
    if (o.timestamps) {
        if (sack_permitted) {
            out.sack_permitted();
            sack_permitted = false;
        } else {
            out.nop().nop();
        }
        out.timestamps(o.tsval, o.tsecr);
    }
    if (sack_permitted) out.nop().nop().sack_permitted();
    if (o.window_scale >= 0) out.nop().window_scale(static_cast<std::uint8_t>(o.window_scale));
    if (o.sack_count > 0) {
        out.nop().nop().sack(std::span<const wire::SackBlock>(o.sack.data(), o.sack_count));
    }
}

}  // namespace synack::tcp
