// The time stamp at the start of each line, in tcpdump's formats (-t … -ttttt), local time honouring TZ.
#pragma once

#include <cstdint>
#include <ctime>

#include "device/capture_record.hpp"
#include "tools/dump/output.hpp"

namespace synack::dump {

class TimestampPrinter {
public:
    // `format` is the number of -t flags (see Options::time_format); `nano` prints 9 fraction digits.
    TimestampPrinter(int format, bool nano) noexcept : format_(format), nano_(nano) { tzset(); }

    // Appends the stamp and its trailing space (nothing at all for -t).
    void print(Output& out, const device::CaptureTimestamp& ts);

private:
    // tcpdump's struct timeval: microseconds, or nanoseconds when nano_; unnormalised as a damaged file holds it.
    struct Stamp {
        std::int64_t seconds = 0;
        std::int64_t fraction = 0;
    };
    Stamp to_stamp(const device::CaptureTimestamp& ts) const noexcept;
    void print_fraction(Output& out, std::int64_t fraction) const;
    void print_clock(Output& out, const Stamp& stamp, bool with_date, bool local);

    int format_;
    bool nano_;
    Stamp reference_{};  // -ttt: the previous packet; -ttttt: the first one (tcpdump util-print.c ts_print)
    // localtime() is costly: the broken-down time of the last second printed is kept.
    std::int64_t cached_second_ = -1;
    bool cached_local_ = false;
    char cached_text_[32] = {};
    bool cached_with_date_ = false;
};

}  // namespace synack::dump
