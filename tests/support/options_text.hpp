// TCP options as the tests write them — tcpdump's words ("mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7") — for
// the protocol tests (tests/tcp) and the simulated-network tests (tests/sim), which differ only in how they show a
// timestamp (absolute, or relative to each side's first TSval) and whether a SACK option states its block count.
#pragma once

#include <cstdint>
#include <functional>
#include <sstream>
#include <string>

#include "wire/tcp_options.hpp"

namespace synack::test {

struct OptionsTextStyle {
    bool sack_count = false;  // "sack 2 {…}{…}" rather than "sack {…}{…}"
    // A timestamp's value and echo reply as printed; absolute when empty.
    std::function<std::string(std::uint32_t value, std::uint32_t echo_reply)> timestamps;
};

inline std::string options_words(wire::Bytes options, const OptionsTextStyle& style = {}) {
    std::ostringstream o;
    wire::TcpOptionIterator it(options);
    bool first = true;
    while (!it.at_end()) {
        auto opt = it.next();
        if (!opt) break;
        if (!first) o << ",";
        first = false;
        switch (opt->kind()) {
            case wire::tcp_option_kind::kEol: o << "eol"; break;
            case wire::tcp_option_kind::kNop: o << "nop"; break;
            case wire::tcp_option_kind::kMss: o << "mss " << *opt->as_mss(); break;
            case wire::tcp_option_kind::kWindowScale: o << "wscale " << int{*opt->as_window_scale()}; break;
            case wire::tcp_option_kind::kSackPermitted: o << "sackOK"; break;
            case wire::tcp_option_kind::kTimestamps: {
                const auto ts = *opt->as_timestamps();
                if (style.timestamps) {
                    o << style.timestamps(ts.value, ts.echo_reply);
                } else {
                    o << "TS val " << ts.value << " ecr " << ts.echo_reply;
                }
                break;
            }
            case wire::tcp_option_kind::kSack: {
                const auto blocks = *opt->as_sack_blocks();  // a copy: the Result is a temporary
                o << "sack";
                if (style.sack_count) o << " " << blocks.size();
                for (const auto& b : blocks) o << " {" << b.left.raw() << ":" << b.right.raw() << "}";
                break;
            }
            default: o << "opt-" << int{opt->kind()}; break;
        }
    }
    return o.str();
}

}  // namespace synack::test
