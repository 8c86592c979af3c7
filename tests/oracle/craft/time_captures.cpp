// Record time stamps as damaged files hold them (see main.cpp for the list of files).
#include "craft/craft.hpp"

namespace synack::craft {

// Record time stamps as damaged files hold them: a fraction field of a second or more, fields whose top bit is set
// (negative to libpcap, which reads them as signed 32-bit values), seconds beyond 2^31 in pcapng's 64-bit stamps,
// and a first stamp of zero (which -ttttt does not take as its reference). tcpdump prints the fields unnormalised.
void time_stamps(const std::string& dir) {
    Flow4 f{v4("198.18.10.1"), v4("198.18.10.2"), 40011, 9105};
    TcpBuilder t = tcp(1, 1, kAck, 502);
    auto frame = [&](std::uint32_t seq) {
        t.seq = Seq32(seq);
        return ethernet(f.segment(true, t));
    };
    using device::CaptureTimestamp;
    using device::TimestampPrecision;
    constexpr std::int64_t kT = 1700000000;
    {
        Capture cap(dir + "/crafted-time.tcp.pcap", device::LinkType::Ethernet);
        cap.add_at(frame(1), CaptureTimestamp{0, 0});
        cap.add_at(frame(2), CaptureTimestamp{kT, 250000000});
        cap.add_at(frame(3), CaptureTimestamp{kT, 5000000LL * 1000});       // 5,000,000 µs
        cap.add_at(frame(4), CaptureTimestamp{kT, 999999LL * 1000});
        cap.add_at(frame(5), CaptureTimestamp{kT + 1, -1000});              // µs field 0xffffffff
        cap.add_at(frame(6), CaptureTimestamp{-1, 1000});                   // seconds field 0xffffffff
        cap.add_at(frame(7), CaptureTimestamp{kT + 2, 3000});
        cap.add_at(frame(8), CaptureTimestamp{-2147483647 - 1, 0});         // seconds field 0x80000000
        cap.add_at(frame(9), CaptureTimestamp{2147483647, 999999000});     // the last second before 2^31
        cap.add_at(frame(10), CaptureTimestamp{kT + 3, 4294967295LL * 1000});  // 0xffffffff µs, unsigned
    }
    {
        // Nanosecond resolution: -ttt and -ttttt need all nine digits; then damaged nanosecond fields.
        Capture cap(dir + "/crafted-nano.tcp.pcap", device::LinkType::Ethernet, TimestampPrecision::Nano);
        cap.add_at(frame(1), CaptureTimestamp{kT, 123456789});
        cap.add_at(frame(2), CaptureTimestamp{kT, 123456790});
        cap.add_at(frame(3), CaptureTimestamp{kT + 1, 5});
        cap.add_at(frame(4), CaptureTimestamp{kT + 61, 999999999});
        cap.add_at(frame(5), CaptureTimestamp{kT + 62, 1000000005});
        cap.add_at(frame(6), CaptureTimestamp{kT + 62, -1});
        cap.add_at(frame(7), CaptureTimestamp{-5, 7});
        cap.add_at(frame(8), CaptureTimestamp{kT + 63, 0});
    }
    {
        // pcapng stamps are 64-bit: seconds at and past 2^31 (tcpdump tests bit 31 of the low 32 bits alone).
        Capture cap(dir + "/crafted-time-ng.tcp.pcapng", device::LinkType::Ethernet, TimestampPrecision::Micro,
                    Capture::Format::Pcapng);
        cap.add_at(frame(1), CaptureTimestamp{kT, 1000});
        cap.add_at(frame(2), CaptureTimestamp{2147483648LL, 2000});
        cap.add_at(frame(3), CaptureTimestamp{4294967296LL + 5, 3000});
        cap.add_at(frame(4), CaptureTimestamp{kT, 4000});
    }
}

}  // namespace synack::craft
