// Arbitrary bytes as one captured packet of each link type synack prints, through the whole printer with every
// flag on (verbose, hex and ASCII, link header, explain). The printer must never read out of bounds or crash.
#include <cstddef>
#include <cstdint>

#include "device/capture_record.hpp"
#include "tools/dump/printer.hpp"

namespace {

synack::dump::Options options_for(int variant) {
    synack::dump::Options o;
    o.numeric = 2;
    o.verbose = 3;
    o.link_header = (variant & 1) != 0;
    o.hex_ascii = (variant & 2) != 0 ? 2 : 0;
    o.ascii = (variant & 4) != 0 ? 1 : 0;
    o.quiet = (variant & 8) != 0 ? 1 : 0;
    o.packet_number = true;
    o.time_format = variant % 6;
    o.absolute_seq = (variant & 16) != 0;
    o.explain = true;
    return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using synack::device::LinkType;
    static const std::uint32_t kLinks[] = {static_cast<std::uint32_t>(LinkType::Ethernet),
                                           static_cast<std::uint32_t>(LinkType::LinuxSll),
                                           static_cast<std::uint32_t>(LinkType::LinuxSll2),
                                           static_cast<std::uint32_t>(LinkType::Raw)};
    const int variant = size > 0 ? data[0] : 0;
    // Printers (and their options) live across inputs, as in a long capture: their trackers keep state.
    static synack::dump::Options options[64];
    static synack::dump::PacketPrinter* printers[64][4] = {};
    synack::device::CaptureRecord record;
    record.timestamp.seconds = 1;
    record.data = synack::wire::Bytes(data, size);
    record.wire_length = static_cast<std::uint32_t>(size) + static_cast<std::uint32_t>(variant & 0x30);
    const int slot = variant & 63;
    for (int i = 0; i < 4; ++i) {
        if (printers[slot][i] == nullptr) {
            options[slot] = options_for(slot);
            printers[slot][i] = new synack::dump::PacketPrinter(options[slot], kLinks[i]);
        }
        synack::dump::PacketPrinter& printer = *printers[slot][i];
        printer.print(record, 1);
        printer.print(record, 2);  // a second time: the same flow again
        printer.output().clear();
    }
    return 0;
}
