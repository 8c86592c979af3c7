// Time as a value. Nothing below runtime/ reads a clock: the simulator's virtual clock or the real-time loop
// passes `Instant`s in. (This lives in wire/ only because wire/ is the one layer every other layer stands on.)
#pragma once

#include <chrono>
#include <cstdint>

namespace synack {

// A clock type with no now(): it only names the epoch and resolution of Instants.
struct StackClock {
    using duration = std::chrono::nanoseconds;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::time_point<StackClock, duration>;
    static constexpr bool is_steady = true;
};

using Duration = StackClock::duration;
using Instant = StackClock::time_point;

using namespace std::chrono_literals;  // NOLINT(google-global-names-in-headers): 200ms, 1s read as the RFCs write

}  // namespace synack
