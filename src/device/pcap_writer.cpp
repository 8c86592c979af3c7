#include "device/pcap_writer.hpp"

#include <pcap/pcap.h>

#include <algorithm>
#include <cstdio>

#include "device/pcap_link_type.hpp"

namespace synack::device {

struct PcapWriter::Handles {
    pcap_t* pcap = nullptr;
    pcap_dumper_t* dumper = nullptr;
    std::uint32_t snapshot_length = 0;
    TimestampPrecision precision = TimestampPrecision::Micro;

    ~Handles() {
        if (dumper != nullptr) pcap_dump_close(dumper);
        if (pcap != nullptr) pcap_close(pcap);
    }
};

PcapWriter::PcapWriter(std::unique_ptr<Handles> handles) : h_(std::move(handles)) {}
PcapWriter::PcapWriter(PcapWriter&&) noexcept = default;
PcapWriter& PcapWriter::operator=(PcapWriter&&) noexcept = default;
PcapWriter::~PcapWriter() = default;

Result<PcapWriter, std::string> PcapWriter::create(const std::string& path, std::uint32_t link_type,
                                                   std::uint32_t snapshot_length, TimestampPrecision precision) {
    auto h = std::make_unique<Handles>();
    h->snapshot_length = snapshot_length;
    h->precision = precision;
    const unsigned tstamp = precision == TimestampPrecision::Nano ? PCAP_TSTAMP_PRECISION_NANO
                                                                  : PCAP_TSTAMP_PRECISION_MICRO;
    h->pcap = pcap_open_dead_with_tstamp_precision(dlt_from_link_type(link_type), static_cast<int>(snapshot_length),
                                                   tstamp);
    if (h->pcap == nullptr) return Err{std::string("cannot open a pcap handle for link type ") +
                                       std::to_string(link_type)};
    h->dumper = pcap_dump_open(h->pcap, path.c_str());
    if (h->dumper == nullptr) return Err{std::string(pcap_geterr(h->pcap))};
    return PcapWriter(std::move(h));
}

void PcapWriter::write(const CaptureRecord& record) {
    pcap_pkthdr header{};
    header.ts.tv_sec = static_cast<time_t>(record.timestamp.seconds);
    // Unnormalised, as the record holds it (see CaptureTimestamp): libpcap writes both fields as 32-bit values.
    header.ts.tv_usec = static_cast<suseconds_t>(h_->precision == TimestampPrecision::Nano
                                                     ? record.timestamp.nanoseconds
                                                     : record.timestamp.nanoseconds / 1000);
    const auto captured = std::min<std::size_t>(record.data.size(), h_->snapshot_length);
    header.caplen = static_cast<bpf_u_int32>(captured);
    header.len = record.wire_length;
    pcap_dump(reinterpret_cast<u_char*>(h_->dumper), &header, record.data.data());
}

void PcapWriter::write(CaptureTimestamp timestamp, wire::Bytes frame) {
    write(CaptureRecord{timestamp, static_cast<std::uint32_t>(frame.size()), frame});
}

Result<void, std::string> PcapWriter::flush() {
    // pcap_dump() reports nothing: a failed write (a full disk) shows as the stream's error flag, checked here.
    if (pcap_dump_flush(h_->dumper) != 0 || std::ferror(pcap_dump_file(h_->dumper)) != 0) {
        return Err{std::string("cannot write the capture file")};
    }
    return {};
}

}  // namespace synack::device
