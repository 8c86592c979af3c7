// TCP sequence numbers live on a circle of 2^32 values, so they are never compared with a raw `<`.
// Linux: before(a, b) = (s32)(a - b) < 0 and after(a, b) = before(b, a) (include/net/tcp.h), RFC 9293 §3.4.
// Seq32 deliberately has no ordering operators: wraparound comparison is not a strict weak order, so it
// must not be handed to std::sort or std::map by accident. Use before/after/…/in_window.
#pragma once

#include <cstdint>

namespace synack::wire {

class Seq32 {
public:
    constexpr Seq32() noexcept = default;
    constexpr explicit Seq32(std::uint32_t raw) noexcept : v_(raw) {}

    constexpr std::uint32_t raw() const noexcept { return v_; }

    constexpr Seq32 operator+(std::uint32_t n) const noexcept { return Seq32(v_ + n); }
    constexpr Seq32 operator-(std::uint32_t n) const noexcept { return Seq32(v_ - n); }
    constexpr Seq32& operator+=(std::uint32_t n) noexcept { v_ += n; return *this; }
    constexpr Seq32& operator-=(std::uint32_t n) noexcept { v_ -= n; return *this; }

    // Bytes from `from` forward to this one, modulo 2^32 (meaningful when `from` is not after this).
    constexpr std::uint32_t distance_from(Seq32 from) const noexcept { return v_ - from.v_; }

    friend constexpr bool operator==(Seq32 a, Seq32 b) noexcept { return a.v_ == b.v_; }
    friend constexpr bool operator!=(Seq32 a, Seq32 b) noexcept { return a.v_ != b.v_; }

private:
    std::uint32_t v_ = 0;
};

constexpr bool before(Seq32 a, Seq32 b) noexcept {
    return static_cast<std::int32_t>(a.raw() - b.raw()) < 0;
}
constexpr bool after(Seq32 a, Seq32 b) noexcept { return before(b, a); }
constexpr bool before_eq(Seq32 a, Seq32 b) noexcept { return !after(a, b); }
constexpr bool after_eq(Seq32 a, Seq32 b) noexcept { return !before(a, b); }

// lo <= s < lo + len, on the circle (RFC 9293 §3.4's acceptability tests are written with this).
constexpr bool in_window(Seq32 s, Seq32 lo, std::uint32_t len) noexcept {
    return s.distance_from(lo) < len;
}
// Linux between(seq1, seq2, seq3): seq2 <= seq1 <= seq3 on the circle.
constexpr bool between(Seq32 s, Seq32 lo, Seq32 hi) noexcept {
    return s.distance_from(lo) <= hi.distance_from(lo);
}

constexpr Seq32 seq_max(Seq32 a, Seq32 b) noexcept { return after(a, b) ? a : b; }
constexpr Seq32 seq_min(Seq32 a, Seq32 b) noexcept { return before(a, b) ? a : b; }

}  // namespace synack::wire
