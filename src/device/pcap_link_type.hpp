// libpcap's API speaks DLT_ values, which differ from the LINKTYPE_ values in files on a few platforms-specific
// entries (DLT_RAW is 12 on Linux, 14 on OpenBSD; LINKTYPE_RAW is 101). synack speaks LINKTYPE_ values.
#pragma once

#include <cstdint>

namespace synack::device {

std::uint32_t link_type_from_dlt(int dlt) noexcept;
int dlt_from_link_type(std::uint32_t link_type) noexcept;

}  // namespace synack::device
