// `synack dump` parses tcpdump's flags (getopt style: -nnvvvXX, -c5, -c 5, the filter as trailing words),
// prints "reading from file …" to stderr like tcpdump, then every packet through the dump printer, flushing
// the output in large writes.
#include "tools/dump_command.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "device/pcap_reader.hpp"
#include "tools/dump/options.hpp"
#include "tools/dump/printer.hpp"

namespace synack::tools {
namespace {

constexpr std::size_t kFlushThreshold = 1 << 16;

void error(const std::string& message) { std::fprintf(stderr, "synack dump: %s\n", message.c_str()); }

}  // namespace

int dump_main(int argc, char** argv) {
    CLI::App app{"Print the packets of a capture file exactly as tcpdump 4.99 prints them.", "synack dump"};
    dump::Options options;
    std::string file;
    long count = -1;
    std::vector<std::string> filter_words;
    int numeric = 0;
    int time_format = 0;
    int verbose = 0;
    int hex = 0;
    int hex_ascii = 0;
    int ascii = 0;
    int quiet = 0;
    app.add_option("-r", file, "Read packets from FILE ('-' for standard input)")->required()->type_name("FILE");
    app.add_flag("-n", numeric, "Don't convert addresses or ports to names (-nn: the same)");
    app.add_flag("-S", options.absolute_seq, "Print absolute TCP sequence numbers");
    app.add_flag("-t", time_format, "-t none, -tt epoch, -ttt delta, -tttt date, -ttttt since first");
    app.add_flag("-v", verbose, "More detail (-v, -vv, -vvv)");
    app.add_flag("-x", hex, "Hex dump of each packet (-xx: with the link-layer header)");
    app.add_flag("-X", hex_ascii, "Hex and ASCII dump (-XX: with the link-layer header)");
    app.add_flag("-A", ascii, "ASCII dump (-AA: with the link-layer header)");
    app.add_flag("-e", options.link_header, "Print the link-layer header");
    app.add_flag("-q", quiet, "Less protocol detail");
    app.add_option("-c", count, "Stop after N packets")->type_name("N");
    app.add_flag("-#", options.packet_number, "Number the packets");
    app.add_flag("--nano", options.nano, "Nanosecond time stamps (tcpdump --nano)");
    app.add_flag("--explain", options.explain, "After each TCP segment, a line on its role in the connection");
    app.add_option("filter", filter_words, "BPF filter expression (pcap-filter(7))");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    options.numeric = numeric;
    options.time_format = time_format > 5 ? 5 : time_format;
    options.verbose = verbose;
    options.hex = hex;
    options.hex_ascii = hex_ascii;
    options.ascii = ascii;
    options.quiet = quiet;
    if (count == 0 || count < -1) {
        error(fmt::format("invalid packet count {}", count));
        return 1;
    }

    auto opened = device::PcapReader::open(file, options.nano ? device::TimestampPrecision::Nano
                                                              : device::TimestampPrecision::Micro);
    if (!opened) {
        error(opened.error());
        return 1;
    }
    device::PcapReader reader = std::move(opened).value();
    if (!filter_words.empty()) {
        std::string expression;
        for (const std::string& w : filter_words) {
            if (!expression.empty()) expression += ' ';
            expression += w;
        }
        auto set = reader.set_filter(expression);
        if (!set) {
            error(set.error());
            return 1;
        }
    }
    // tcpdump.c: "reading from file %s, link-type %s (%s), snapshot length %d".
    const std::uint32_t link = reader.link_type();
    std::fprintf(stderr, "reading from file %s, link-type %s (%s), snapshot length %u\n", file.c_str(),
                 device::link_type_name(link).c_str(), device::link_type_description(link).c_str(),
                 reader.snapshot_length());
    // tcpdump.c warns that LINUX_SLL2 interface names come from this machine, not the one that captured.
    if (link == static_cast<std::uint32_t>(device::LinkType::LinuxSll2)) {
        std::fprintf(stderr, "Warning: interface names might be incorrect\n");
    }
    dump::PacketPrinter printer(options, link);
    if (!printer.supported()) {
        error(fmt::format("packet printing is not supported for link type {}: use -w", device::link_type_name(link)));
        return 1;
    }

    device::CaptureRecord record;
    std::uint64_t printed = 0;
    int status = 0;
    for (;;) {
        const device::PcapReader::Next next = reader.next(record);
        if (next == device::PcapReader::Next::End) break;
        if (next == device::PcapReader::Next::Error) {
            printer.output().flush_to(stdout);
            std::fflush(stdout);
            error(fmt::format("pcap_loop: {}", reader.error()));
            status = 1;
            break;
        }
        if (!reader.matches(record)) continue;
        printer.print(record, ++printed);
        if (!printer.output().flush_to(stdout, kFlushThreshold)) {
            error("unable to write output");
            return 1;
        }
        if (count > 0 && printed >= static_cast<std::uint64_t>(count)) break;
    }
    if (!printer.output().flush_to(stdout) || std::fflush(stdout) != 0) {
        error("unable to write output");
        return 1;
    }
    return status;
}

}  // namespace synack::tools
