#include "device/pcap_link_type.hpp"

#include <pcap/pcap.h>

#include "device/capture_record.hpp"

namespace synack::device {

std::uint32_t link_type_from_dlt(int dlt) noexcept {
    if (dlt == DLT_RAW) return static_cast<std::uint32_t>(LinkType::Raw);
#ifdef DLT_LOOP
    if (dlt == DLT_LOOP) return static_cast<std::uint32_t>(LinkType::Loop);
#endif
    return static_cast<std::uint32_t>(dlt);
}

int dlt_from_link_type(std::uint32_t link_type) noexcept {
    if (link_type == static_cast<std::uint32_t>(LinkType::Raw)) return DLT_RAW;
#ifdef DLT_LOOP
    if (link_type == static_cast<std::uint32_t>(LinkType::Loop)) return DLT_LOOP;
#endif
    return static_cast<int>(link_type);
}

}  // namespace synack::device
