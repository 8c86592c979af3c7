#include "tools/dump/timestamp.hpp"

#include <ctime>

namespace synack::dump {
namespace {

constexpr std::string_view kError = "[Error converting time]";

// tcpdump util-print.c: "if ((unsigned)sec & 0x80000000)" — bit 31 of the low 32 bits, whatever the rest.
bool unconvertible(std::int64_t seconds) noexcept { return (static_cast<std::uint32_t>(seconds) & 0x80000000u) != 0; }

}  // namespace

// The fields as libpcap hands them to tcpdump (struct timeval, tv_usec in the reader's precision).
TimestampPrinter::Stamp TimestampPrinter::to_stamp(const device::CaptureTimestamp& ts) const noexcept {
    return Stamp{ts.seconds, nano_ ? ts.nanoseconds : ts.nanoseconds / 1000};
}

// tcpdump util-print.c ts_frac_print: ".%06u" or ".%09u" of (unsigned)usec.
void TimestampPrinter::print_fraction(Output& out, std::int64_t fraction) const {
    if (nano_) {
        out.print(".{:09}", static_cast<std::uint32_t>(fraction));
    } else {
        out.print(".{:06}", static_cast<std::uint32_t>(fraction));
    }
}

// tcpdump util-print.c ts_date_hmsfrac_print: strftime("%H:%M:%S") or ("%Y-%m-%d %H:%M:%S"), then the fraction.
void TimestampPrinter::print_clock(Output& out, const Stamp& stamp, bool with_date, bool local) {
    if (unconvertible(stamp.seconds)) {
        out.put(kError);
        return;
    }
    if (stamp.seconds != cached_second_ || local != cached_local_ || with_date != cached_with_date_) {
        const auto t = static_cast<std::time_t>(stamp.seconds);
        std::tm tm{};
        if ((local ? localtime_r(&t, &tm) : gmtime_r(&t, &tm)) == nullptr) {
            out.put(kError);
            return;
        }
        if (std::strftime(cached_text_, sizeof cached_text_, with_date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm) == 0) {
            cached_text_[0] = '\0';
        }
        cached_second_ = stamp.seconds;
        cached_local_ = local;
        cached_with_date_ = with_date;
    }
    out.put(std::string_view(cached_text_));
    print_fraction(out, stamp.fraction);
}

// tcpdump util-print.c ts_print.
void TimestampPrinter::print(Output& out, const device::CaptureTimestamp& ts) {
    const Stamp now = to_stamp(ts);
    switch (format_) {
        case 0:  // clock time
            print_clock(out, now, false, true);
            break;
        case 1:  // -t: none
            return;
        case 2:  // -tt: seconds since the epoch (ts_unix_print: "%u" of (unsigned)sec)
            if (unconvertible(now.seconds)) {
                out.put(kError);
            } else {
                out.put_uint(static_cast<std::uint32_t>(now.seconds));
                print_fraction(out, now.fraction);
            }
            break;
        case 4:  // -tttt: date and clock time
            print_clock(out, now, true, true);
            break;
        default: {  // -ttt: since the previous packet; -ttttt: since the first
            // netdissect_timevalisset, timevalcmp and timevalsub on the fields as they are, unnormalised.
            if (reference_.seconds == 0 && reference_.fraction == 0) reference_ = now;
            const bool negative = now.seconds == reference_.seconds ? now.fraction < reference_.fraction
                                                                    : now.seconds < reference_.seconds;
            const Stamp& hi = negative ? reference_ : now;
            const Stamp& lo = negative ? now : reference_;
            Stamp delta{hi.seconds - lo.seconds, hi.fraction - lo.fraction};
            if (delta.fraction < 0) {
                --delta.seconds;
                delta.fraction += nano_ ? 1000000000 : 1000000;
            }
            out.put(negative ? '-' : ' ');
            print_clock(out, delta, false, false);
            if (format_ == 3) reference_ = now;
            break;
        }
    }
    out.put(' ');
}

}  // namespace synack::dump
