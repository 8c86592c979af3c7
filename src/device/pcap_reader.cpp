#include "device/pcap_reader.hpp"

#include <pcap/pcap.h>

#include "device/pcap_link_type.hpp"

namespace synack::device {

struct PcapReader::Filter {
    bpf_program program{};
    ~Filter() { pcap_freecode(&program); }
};

void PcapReader::Closer::operator()(pcap_t* p) const noexcept { pcap_close(p); }

PcapReader::PcapReader(pcap_t* handle, TimestampPrecision precision) : handle_(handle), precision_(precision) {}
PcapReader::PcapReader(PcapReader&&) noexcept = default;
PcapReader& PcapReader::operator=(PcapReader&&) noexcept = default;
PcapReader::~PcapReader() = default;

Result<PcapReader, std::string> PcapReader::open(const std::string& path, TimestampPrecision precision) {
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    const unsigned tstamp = precision == TimestampPrecision::Nano ? PCAP_TSTAMP_PRECISION_NANO
                                                                  : PCAP_TSTAMP_PRECISION_MICRO;
    pcap_t* p = pcap_open_offline_with_tstamp_precision(path.c_str(), tstamp, errbuf);
    if (p == nullptr) return Err{std::string(errbuf)};
    return PcapReader(p, precision);
}

PcapReader::Next PcapReader::next(CaptureRecord& out) {
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    const int rc = pcap_next_ex(handle_.get(), &header, &data);
    if (rc == 1) {
        // As libpcap gives them, unnormalised (see CaptureTimestamp); with nanosecond precision tv_usec holds
        // nanoseconds.
        out.timestamp.seconds = header->ts.tv_sec;
        const std::int64_t fraction = header->ts.tv_usec;
        out.timestamp.nanoseconds = precision_ == TimestampPrecision::Nano ? fraction : fraction * 1000;
        out.wire_length = header->len;
        out.data = wire::Bytes(data, header->caplen);
        return Next::Record;
    }
    if (rc == PCAP_ERROR_BREAK) return Next::End;
    error_ = pcap_geterr(handle_.get());
    return Next::Error;
}

std::uint32_t PcapReader::link_type() const noexcept {
    return link_type_from_dlt(pcap_datalink(handle_.get()));
}

std::uint32_t PcapReader::snapshot_length() const noexcept {
    return static_cast<std::uint32_t>(pcap_snapshot(handle_.get()));
}

Result<void, std::string> PcapReader::set_filter(const std::string& expression) {
    auto filter = std::make_unique<Filter>();
    // tcpdump.c, reading a file: "localnet = 0; netmask = 0;" (so `ip broadcast` compiles, matching all ones or
    // all zeros), then pcap_compile(pd, &fcode, cmdbuf, Oflag, netmask) with the optimiser on.
    constexpr bpf_u_int32 kNetmask = 0;
    if (pcap_compile(handle_.get(), &filter->program, expression.c_str(), 1, kNetmask) != 0) {
        return Err{std::string(pcap_geterr(handle_.get()))};
    }
    filter_ = std::move(filter);
    return {};
}

bool PcapReader::matches(const CaptureRecord& record) const noexcept {
    if (!filter_) return true;
    pcap_pkthdr header{};
    header.caplen = static_cast<bpf_u_int32>(record.data.size());
    header.len = record.wire_length;
    return pcap_offline_filter(&filter_->program, &header, record.data.data()) != 0;
}

std::string link_type_name(std::uint32_t link_type) {
    const char* name = pcap_datalink_val_to_name(dlt_from_link_type(link_type));
    return name != nullptr ? name : std::to_string(link_type);
}

std::string link_type_description(std::uint32_t link_type) {
    const char* d = pcap_datalink_val_to_description(dlt_from_link_type(link_type));
    return d != nullptr ? d : "";
}

}  // namespace synack::device
