// One packet at a time, the whole line tcpdump prints for it (tcpdump print.c pretty_print_packet): packet
// number, time stamp, the link-layer printer and everything it dispatches to, the raw dumps of -x/-X/-A, and
// with --explain the connection tracker's comment. The text accumulates in output(); the caller flushes it.
#pragma once

#include <cstdint>
#include <memory>

#include "device/capture_record.hpp"
#include "tools/dump/context.hpp"
#include "tools/dump/link.hpp"
#include "tools/dump/timestamp.hpp"

namespace synack::dump {

class PacketPrinter {
public:
    PacketPrinter(const Options& options, std::uint32_t link_type);
    ~PacketPrinter();
    PacketPrinter(const PacketPrinter&) = delete;
    PacketPrinter& operator=(const PacketPrinter&) = delete;

    // Whether a printer exists for the link type given to the constructor.
    bool supported() const noexcept { return link_ != nullptr; }

    // `number` is the packet's ordinal among those printed, from 1 (for -#).
    void print(const device::CaptureRecord& record, std::uint64_t number);

    Output& output() noexcept { return out_; }

private:
    const Options& options_;
    LinkPrinter link_;
    Output out_;
    Names names_;
    SeqTracker seq_;
    TimestampPrinter timestamps_;
    std::unique_ptr<Explainer> explainer_;
};

}  // namespace synack::dump
