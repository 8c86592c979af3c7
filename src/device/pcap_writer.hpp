// Writes classic pcap files through libpcap (which cannot write pcapng; see pcapng_writer.hpp for that).
#pragma once

#include <memory>
#include <string>

#include "device/capture_record.hpp"
#include "device/pcap_reader.hpp"
#include "wire/result.hpp"

struct pcap_dumper;

namespace synack::device {

class PcapWriter {
public:
    // "-" writes to standard output. Errors are libpcap's message.
    static Result<PcapWriter, std::string> create(const std::string& path, std::uint32_t link_type,
                                                  std::uint32_t snapshot_length = 262144,
                                                  TimestampPrecision precision = TimestampPrecision::Micro);

    PcapWriter(PcapWriter&&) noexcept;
    PcapWriter& operator=(PcapWriter&&) noexcept;
    ~PcapWriter();  // flushes and closes

    // Writes one record; bytes beyond the snapshot length are cut, wire_length is kept as given.
    void write(const CaptureRecord& record);
    // Convenience: a frame captured whole.
    void write(CaptureTimestamp timestamp, wire::Bytes frame);
    Result<void, std::string> flush();

private:
    struct Handles;
    explicit PcapWriter(std::unique_ptr<Handles> handles);
    std::unique_ptr<Handles> h_;
};

}  // namespace synack::device
