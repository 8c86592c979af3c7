#include "device/pcapng_writer.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace synack::device {

namespace {

// Block types and option codes (pcapng draft §4, §11).
constexpr std::uint32_t kSectionHeaderBlock = 0x0A0D0D0A;
constexpr std::uint32_t kInterfaceDescriptionBlock = 0x00000001;
constexpr std::uint32_t kEnhancedPacketBlock = 0x00000006;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint16_t kOptEndOfOptions = 0;
constexpr std::uint16_t kIfTsresol = 9;

constexpr std::uint32_t pad4(std::uint32_t n) { return (n + 3u) & ~3u; }

}  // namespace

void PcapngWriter::FileCloser::operator()(std::FILE* f) const noexcept {
    if (f != stdout) std::fclose(f);
    else std::fflush(f);
}

PcapngWriter::PcapngWriter(std::FILE* file, std::uint32_t snapshot_length, TimestampPrecision precision)
    : file_(file), snapshot_length_(snapshot_length), precision_(precision) {}

void PcapngWriter::put(const void* bytes, std::size_t n) {
    if (std::fwrite(bytes, 1, n, file_.get()) != n) failed_ = true;
}

Result<PcapngWriter, std::string> PcapngWriter::create(const std::string& path, std::uint32_t link_type,
                                                       std::uint32_t snapshot_length, TimestampPrecision precision) {
    std::FILE* f = path == "-" ? stdout : std::fopen(path.c_str(), "wb");
    if (f == nullptr) return Err{path + ": " + std::strerror(errno)};
    PcapngWriter w(f, snapshot_length, precision);

    // Section Header Block: no options, section length unknown (-1). Written in host byte order, which the
    // byte-order magic announces to readers.
    const std::uint32_t shb_length = 28;
    const std::int64_t section_length = -1;
    const std::uint16_t version[2] = {1, 0};
    w.put(&kSectionHeaderBlock, 4);
    w.put(&shb_length, 4);
    w.put(&kByteOrderMagic, 4);
    w.put(version, 4);
    w.put(&section_length, 8);
    w.put(&shb_length, 4);

    // Interface Description Block with if_tsresol: 6 (microseconds) or 9 (nanoseconds).
    const std::uint32_t idb_length = 20 + 8 + 4;
    const auto link16 = static_cast<std::uint16_t>(link_type);
    const std::uint16_t reserved = 0;
    const std::uint16_t tsresol_header[2] = {kIfTsresol, 1};
    const std::array<std::uint8_t, 4> tsresol = {precision == TimestampPrecision::Nano ? std::uint8_t{9} : std::uint8_t{6},
                                                 0, 0, 0};
    const std::uint16_t end_of_options[2] = {kOptEndOfOptions, 0};
    w.put(&kInterfaceDescriptionBlock, 4);
    w.put(&idb_length, 4);
    w.put(&link16, 2);
    w.put(&reserved, 2);
    w.put(&snapshot_length, 4);
    w.put(tsresol_header, 4);
    w.put(tsresol.data(), 4);
    w.put(end_of_options, 4);
    w.put(&idb_length, 4);
    if (w.failed_) return Err{path + ": write failed"};
    return w;
}

void PcapngWriter::write(const CaptureRecord& record) {
    const auto captured = static_cast<std::uint32_t>(std::min<std::size_t>(record.data.size(), snapshot_length_));
    const std::uint32_t block_length = 32 + pad4(captured);
    const std::uint64_t units_per_second = precision_ == TimestampPrecision::Nano ? 1'000'000'000ull : 1'000'000ull;
    const std::uint64_t fraction = precision_ == TimestampPrecision::Nano ? record.timestamp.nanoseconds
                                                                         : record.timestamp.nanoseconds / 1000u;
    const std::uint64_t ts = static_cast<std::uint64_t>(record.timestamp.seconds) * units_per_second + fraction;
    const std::uint32_t fields[5] = {0 /* interface id */, static_cast<std::uint32_t>(ts >> 32),
                                     static_cast<std::uint32_t>(ts), captured, record.wire_length};
    static constexpr std::array<std::uint8_t, 3> kPadding{};
    put(&kEnhancedPacketBlock, 4);
    put(&block_length, 4);
    put(fields, sizeof fields);
    put(record.data.data(), captured);
    put(kPadding.data(), pad4(captured) - captured);
    put(&block_length, 4);
}

void PcapngWriter::write(CaptureTimestamp timestamp, wire::Bytes frame) {
    write(CaptureRecord{timestamp, static_cast<std::uint32_t>(frame.size()), frame});
}

Result<void, std::string> PcapngWriter::flush() {
    if (std::fflush(file_.get()) != 0 || failed_) return Err{std::string("write failed")};
    return {};
}

}  // namespace synack::device
