// A small pcapng writer (libpcap 1.10 reads pcapng but cannot write it): one section, one interface,
// Enhanced Packet Blocks, timestamps in microseconds or nanoseconds (if_tsresol). Format: RFC draft
// "PCAP Next Generation (pcapng) Capture File Format" (draft-ietf-opsawg-pcapng), §4.1–4.3.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "device/capture_record.hpp"
#include "device/pcap_reader.hpp"
#include "wire/result.hpp"

namespace synack::device {

class PcapngWriter {
public:
    // "-" writes to standard output.
    static Result<PcapngWriter, std::string> create(const std::string& path, std::uint32_t link_type,
                                                    std::uint32_t snapshot_length = 262144,
                                                    TimestampPrecision precision = TimestampPrecision::Micro);

    void write(const CaptureRecord& record);
    void write(CaptureTimestamp timestamp, wire::Bytes frame);
    Result<void, std::string> flush();

private:
    struct FileCloser {
        void operator()(std::FILE* f) const noexcept;
    };
    PcapngWriter(std::FILE* file, std::uint32_t snapshot_length, TimestampPrecision precision);
    void put(const void* bytes, std::size_t n);

    std::unique_ptr<std::FILE, FileCloser> file_;
    std::uint32_t snapshot_length_;
    TimestampPrecision precision_;
    bool failed_ = false;
};

}  // namespace synack::device
