// A windowed running minimum (Kathleen Nichols' algorithm, as Linux lib/minmax.c keeps tp->rtt_min): the
// smallest sample seen within the last `window` time units, from three samples — the best, the second best of
// the later ones, and the third — so the estimate ages out as the window slides, in O(1) space and time.
#pragma once

#include <array>
#include <cstdint>

namespace synack::tcp {

class WindowedMin {
public:
    static constexpr std::uint32_t kNone = ~0u;

    std::uint32_t get() const noexcept { return s_[0].v; }

    // Linux minmax_running_min(): a new sample `v` at time `t` (any clock; `window` in its units).
    std::uint32_t update(std::uint32_t window, std::uint32_t t, std::uint32_t v) noexcept {
        const Sample val{t, v};
        if (v <= s_[0].v || t - s_[2].t > window) return reset(val);  // a new minimum, or nothing left in window
        if (v <= s_[1].v) s_[2] = s_[1] = val;
        else if (v <= s_[2].v) s_[2] = val;
        return subwin_update(window, val);
    }

private:
    struct Sample {
        std::uint32_t t = 0;
        std::uint32_t v = kNone;
    };

    std::uint32_t reset(Sample val) noexcept {
        s_[0] = s_[1] = s_[2] = val;
        return val.v;
    }

    // Linux minmax_subwin_update(): keep the three samples spread over the window's quarters and halves.
    std::uint32_t subwin_update(std::uint32_t window, Sample val) noexcept {
        const std::uint32_t dt = val.t - s_[0].t;
        if (dt > window) {
            s_[0] = s_[1];
            s_[1] = s_[2];
            s_[2] = val;
            if (val.t - s_[0].t > window) {
                s_[0] = s_[1];
                s_[1] = s_[2];
                s_[2] = val;
            }
        } else if (s_[1].t == s_[0].t && dt > window / 4) {
            s_[2] = s_[1] = val;
        } else if (s_[2].t == s_[1].t && dt > window / 2) {
            s_[2] = val;
        }
        return s_[0].v;
    }

    std::array<Sample, 3> s_{};
};

}  // namespace synack::tcp
