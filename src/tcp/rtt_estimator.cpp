#include "tcp/rtt_estimator.hpp"

#include <algorithm>

namespace synack::tcp {

// Linux tcp_rtt_estimator().
void RttEstimator::sample(std::int64_t m_us, wire::Seq32 snd_una, wire::Seq32 snd_nxt,
                          std::uint32_t rto_min_us) noexcept {
    std::int64_t m = std::max<std::int64_t>(m_us, 1);
    std::int64_t srtt = srtt_us_;
    if (srtt != 0) {
        m -= srtt >> 3;  // the error of the estimate
        srtt += m;       // srtt = 7/8 srtt + 1/8 new
        std::int64_t mdev = mdev_us_;
        if (m < 0) {
            m = -m;
            m -= mdev >> 2;
            if (m > 0) m >>= 3;  // a falling RTT moves mdev only slowly (Eifel)
        } else {
            m -= mdev >> 2;
        }
        mdev += m;  // mdev = 3/4 mdev + 1/4 new
        mdev_us_ = static_cast<std::uint32_t>(std::max<std::int64_t>(mdev, 0));
        if (mdev_us_ > mdev_max_us_) {
            mdev_max_us_ = mdev_us_;
            if (mdev_max_us_ > rttvar_us_) rttvar_us_ = mdev_max_us_;
        }
        if (wire::after(snd_una, rtt_seq_)) {
            // A flight ended: let rttvar decay towards this flight's largest mdev.
            if (mdev_max_us_ < rttvar_us_) rttvar_us_ -= (rttvar_us_ - mdev_max_us_) >> 2;
            rtt_seq_ = snd_nxt;
            mdev_max_us_ = rto_min_us;
        }
    } else {
        srtt = m << 3;
        mdev_us_ = static_cast<std::uint32_t>(m << 1);  // so that RTO = 3 × RTT at first
        rttvar_us_ = std::max(mdev_us_, rto_min_us);
        mdev_max_us_ = rttvar_us_;
        rtt_seq_ = snd_nxt;
    }
    srtt_us_ = static_cast<std::uint32_t>(std::max<std::int64_t>(srtt, 1));
}

}  // namespace synack::tcp
