// Reads pcap and pcapng capture files through libpcap.
#pragma once

#include <memory>
#include <string>

#include "device/capture_record.hpp"
#include "wire/result.hpp"

struct pcap;
typedef struct pcap pcap_t;  // NOLINT(modernize-use-using): matches <pcap/pcap.h>

namespace synack::device {

enum class TimestampPrecision { Micro, Nano };

class PcapReader {
public:
    // "-" reads standard input. Errors are libpcap's message, e.g. "unknown file format".
    static Result<PcapReader, std::string> open(const std::string& path,
                                                TimestampPrecision precision = TimestampPrecision::Micro);

    PcapReader(PcapReader&&) noexcept;
    PcapReader& operator=(PcapReader&&) noexcept;
    ~PcapReader();

    enum class Next { Record, End, Error };
    // Reads the next record into `out` (its bytes stay valid until the following call). On Error,
    // error() says what is wrong with the file (truncated record, bad header, …).
    Next next(CaptureRecord& out);
    const std::string& error() const noexcept { return error_; }

    std::uint32_t link_type() const noexcept;   // LINKTYPE_ value (see LinkType)
    std::uint32_t snapshot_length() const noexcept;
    // The filter is compiled the way tcpdump compiles it for a file (optimised, netmask 0); returns libpcap's error.
    Result<void, std::string> set_filter(const std::string& expression);
    // Whether the current filter (if any) accepts the record just read.
    bool matches(const CaptureRecord& record) const noexcept;

    pcap_t* handle() const noexcept { return handle_.get(); }

private:
    struct Closer {
        void operator()(pcap_t* p) const noexcept;
    };
    struct Filter;
    explicit PcapReader(pcap_t* handle, TimestampPrecision precision);

    std::unique_ptr<pcap_t, Closer> handle_;
    std::unique_ptr<Filter> filter_;
    TimestampPrecision precision_;
    std::string error_;
};

// libpcap's names for a link type, as tcpdump prints them in "link-type RAW (Raw IP)".
std::string link_type_name(std::uint32_t link_type);
std::string link_type_description(std::uint32_t link_type);

}  // namespace synack::device
