// The packet loop of `synack dump` (tcpdump's pcap_loop with print_packet as its callback): each record the
// reader's filter accepts goes to the printer, up to a count, the text flushed out in large writes.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "device/pcap_reader.hpp"
#include "tools/dump/printer.hpp"

namespace synack::dump {

struct RunResult {
    enum class Status { Done, ReadError, WriteError };
    Status status = Status::Done;
    std::string error;  // ReadError: libpcap's message ("truncated dump file; …")
    std::uint64_t printed = 0;
};

// Prints every record `reader` yields and its filter accepts, stopping after `count` of them (0: no limit) or at
// the end of the file. With `out`, the text is written there (in blocks of 64 KiB and at the end, also when a
// read fails, so that what was printed comes before the error); without, it stays in printer.output().
RunResult run_dump(device::PcapReader& reader, PacketPrinter& printer, std::uint64_t count, std::FILE* out);

}  // namespace synack::dump
