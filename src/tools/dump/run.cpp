#include "tools/dump/run.hpp"

namespace synack::dump {
namespace {

constexpr std::size_t kFlushThreshold = 1 << 16;

}  // namespace

RunResult run_dump(device::PcapReader& reader, PacketPrinter& printer, std::uint64_t count, std::FILE* out) {
    RunResult result;
    device::CaptureRecord record;
    for (;;) {
        const device::PcapReader::Next next = reader.next(record);
        if (next == device::PcapReader::Next::End) break;
        if (next == device::PcapReader::Next::Error) {
            result.status = RunResult::Status::ReadError;
            result.error = reader.error();
            break;
        }
        if (!reader.matches(record)) continue;
        printer.print(record, ++result.printed);
        if (out != nullptr && !printer.output().flush_to(out, kFlushThreshold)) {
            result.status = RunResult::Status::WriteError;
            return result;
        }
        if (count != 0 && result.printed >= count) break;
    }
    if (out != nullptr && (!printer.output().flush_to(out) || std::fflush(out) != 0)) {
        result.status = RunResult::Status::WriteError;
    }
    return result;
}

}  // namespace synack::dump
