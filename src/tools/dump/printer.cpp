#include "tools/dump/printer.hpp"

#include "tools/dump/explain.hpp"
#include "tools/dump/hex_dump.hpp"

namespace synack::dump {
namespace {

// tcpdump netdissect.h MAXIMUM_SNAPLEN.
constexpr std::uint32_t kMaximumSnaplen = 262144;

// tcpdump print.c: sanity checks on the record header; true if the packet is printed no further.
bool print_invalid_header(Output& out, const device::CaptureRecord& record) {
    const std::uint32_t caplen = static_cast<std::uint32_t>(record.data.size());
    const std::uint32_t len = record.wire_length;
    bool invalid = false;
    auto open = [&]() {
        if (!invalid) {
            invalid = true;
            out.put("[Invalid header:");
        } else {
            out.put(',');
        }
    };
    if (caplen == 0) {
        invalid = true;
        out.put("[Invalid header: caplen==0");
    }
    if (len == 0) {
        open();
        out.put(" len==0");
    } else if (len < caplen) {
        open();
        out.print(" len({}) < caplen({})", len, caplen);
    }
    if (caplen > kMaximumSnaplen) {
        open();
        out.print(" caplen({}) > {}", caplen, kMaximumSnaplen);
    }
    if (len > kMaximumSnaplen) {
        open();
        out.print(" len({}) > {}", len, kMaximumSnaplen);
    }
    if (invalid) out.put("]\n");
    return invalid;
}

}  // namespace

PacketPrinter::PacketPrinter(const Options& options, std::uint32_t link_type)
    : options_(options),
      link_(link_printer(link_type)),
      names_(options.numeric > 0),
      timestamps_(options.time_format, options.nano) {
    if (options.explain) explainer_ = std::make_unique<Explainer>(names_);
}

PacketPrinter::~PacketPrinter() = default;

void PacketPrinter::print(const device::CaptureRecord& record, std::uint64_t number) {
    if (options_.packet_number) out_.print("{:5}  ", number);
    if (print_invalid_header(out_, record)) return;
    timestamps_.print(out_, record.timestamp);

    Context ctx{options_, out_, names_, seq_, explainer_.get()};
    if (explainer_) explainer_->begin_packet();
    const wire::Bytes data = record.data;
    if (link_ == nullptr) {
        hex_ascii_dump(out_, data);  // unreachable from the CLI, which refuses unknown link types
    } else if (link_(ctx, data, record.wire_length) == Flow::Truncated) {
        // tcpdump longjmps out of the printers and notes the protocol it was in; the dumps then show everything.
        out_.put(" [|");
        out_.put(ctx.protocol);
        out_.put(']');
        ctx.link_header_length = 0;
    }

    const std::size_t skip = ctx.link_header_length;
    if (options_.hex_ascii > 0) {
        if (options_.hex_ascii > 1) {
            hex_ascii_dump(out_, data);
        } else if (data.size() > skip) {
            hex_ascii_dump(out_, data.subspan(skip));
        }
    } else if (options_.hex > 0) {
        if (options_.hex > 1) {
            hex_dump(out_, data);
        } else if (data.size() > skip) {
            hex_dump(out_, data.subspan(skip));
        }
    } else if (options_.ascii > 0) {
        if (options_.ascii > 1) {
            ascii_dump(out_, data);
        } else if (data.size() > skip) {
            ascii_dump(out_, data.subspan(skip));
        }
    }
    out_.put('\n');
    if (explainer_) explainer_->end_packet(out_);
}

}  // namespace synack::dump
