#include "tools/dump/timestamp.hpp"

#include <cstring>
#include <ctime>

namespace synack::dump {

TimestampPrinter::Stamp TimestampPrinter::to_stamp(const device::CaptureTimestamp& ts) const noexcept {
    return Stamp{ts.seconds, nano_ ? ts.nanoseconds : ts.nanoseconds / 1000};
}

void TimestampPrinter::print_fraction(Output& out, std::uint32_t fraction) const {
    if (nano_) {
        out.print(".{:09}", fraction);
    } else {
        out.print(".{:06}", fraction);
    }
}

// tcpdump util-print.c ts_date_hmsfrac_print: strftime("%H:%M:%S") or ("%Y-%m-%d %H:%M:%S").
void TimestampPrinter::print_clock(Output& out, std::int64_t seconds, bool with_date, bool local) {
    if (seconds < 0) {
        out.put("[timestamp < 1970-01-01 00:00:00 UTC]");
        return;
    }
    if (seconds != cached_second_ || local != cached_local_ || with_date != cached_with_date_) {
        const auto t = static_cast<std::time_t>(seconds);
        std::tm tm{};
        const bool ok = local ? localtime_r(&t, &tm) != nullptr : gmtime_r(&t, &tm) != nullptr;
        if (!ok) {
            out.put("[localtime() or gmtime() couldn't convert the date and time]");
            return;
        }
        if (std::strftime(cached_text_, sizeof cached_text_, with_date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm) == 0) {
            cached_text_[0] = '\0';
        }
        cached_second_ = seconds;
        cached_local_ = local;
        cached_with_date_ = with_date;
    }
    out.put(std::string_view(cached_text_));
}

void TimestampPrinter::print(Output& out, const device::CaptureTimestamp& ts) {
    const Stamp now = to_stamp(ts);
    switch (format_) {
        case 0:  // clock time
            print_clock(out, now.seconds, false, true);
            if (now.seconds >= 0) print_fraction(out, now.fraction);
            out.put(' ');
            return;
        case 1:  // -t: none
            return;
        case 2:  // -tt: seconds since the epoch
            if (now.seconds < 0) {
                out.put("[timestamp < 1970-01-01 00:00:00 UTC]");
            } else {
                out.put_uint(static_cast<std::uint32_t>(now.seconds));
                print_fraction(out, now.fraction);
            }
            out.put(' ');
            return;
        case 4:  // -tttt: date and clock time
            print_clock(out, now.seconds, true, true);
            if (now.seconds >= 0) print_fraction(out, now.fraction);
            out.put(' ');
            return;
        default: {  // -ttt: since the previous packet; -ttttt: since the first
            if (reference_.seconds == 0 && reference_.fraction == 0) reference_ = now;  // timevalisset()
            const bool negative = now.seconds < reference_.seconds ||
                                  (now.seconds == reference_.seconds && now.fraction < reference_.fraction);
            const Stamp& hi = negative ? reference_ : now;
            const Stamp& lo = negative ? now : reference_;
            const std::uint32_t unit = nano_ ? 1000000000u : 1000000u;
            std::int64_t seconds = hi.seconds - lo.seconds;
            std::int64_t fraction = static_cast<std::int64_t>(hi.fraction) - lo.fraction;
            if (fraction < 0) {
                fraction += unit;
                --seconds;
            }
            out.put(negative ? '-' : ' ');
            print_clock(out, seconds, false, false);
            print_fraction(out, static_cast<std::uint32_t>(fraction));
            out.put(' ');
            if (format_ == 3) reference_ = now;
            return;
        }
    }
}

}  // namespace synack::dump
