// `synack dump` parses tcpdump's flags (getopt style: -nnvvvXX, -c5, -c 5, the filter as trailing words),
// prints "reading from file …" to stderr like tcpdump, then every packet through the dump printer, flushing
// the output in large writes.
#include "tools/dump_command.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "device/pcap_reader.hpp"
#include "tools/dump/options.hpp"
#include "tools/dump/printer.hpp"
#include "tools/dump/run.hpp"

namespace synack::tools {
namespace {

void error(const std::string& message) { std::fprintf(stderr, "synack dump: %s\n", message.c_str()); }

// tcpdump.c: "cnt = atoi(optarg); if (cnt <= 0) error(\"invalid packet count %s\", optarg);" — atoi is
// (int)strtol(s, NULL, 10): leading digits only ("2x" is 2), out-of-range values cut to an int.
std::optional<std::uint64_t> packet_count(const std::string& text) {
    const long value = std::strtol(text.c_str(), nullptr, 10);
    const auto count = static_cast<int>(static_cast<std::uint32_t>(static_cast<std::uint64_t>(value)));
    if (count <= 0) return std::nullopt;
    return static_cast<std::uint64_t>(count);
}

}  // namespace

int dump_main(int argc, char** argv) {
    CLI::App app{"Print the packets of a capture file exactly as tcpdump 4.99 prints them.", "synack dump"};
    dump::Options options;
    std::string file;
    std::optional<std::string> count_text;
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
    app.add_option("-c", count_text, "Stop after N packets")->type_name("N");
    app.add_flag("-#", options.packet_number, "Number the packets");
    app.add_flag("--nano", options.nano, "Nanosecond time stamps (tcpdump --nano)");
    app.add_flag("--explain", options.explain, "After each TCP segment, a line on its role in the connection");
    app.add_option("filter", filter_words, "BPF filter expression (pcap-filter(7))");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    // tcpdump's order: -c is refused while the options are read, -t counts after them, then the file is opened,
    // "reading from file …" printed, and only then the filter compiled.
    std::uint64_t count = 0;  // no limit
    if (count_text) {
        const std::optional<std::uint64_t> parsed = packet_count(*count_text);
        if (!parsed) {
            error("invalid packet count " + *count_text);
            return 1;
        }
        count = *parsed;
    }
    if (time_format > 5) {
        error("only -t, -tt, -ttt, -tttt and -ttttt are supported");
        return 1;
    }
    options.numeric = numeric;
    options.time_format = time_format;
    options.verbose = verbose;
    options.hex = hex;
    options.hex_ascii = hex_ascii;
    options.ascii = ascii;
    options.quiet = quiet;

    auto opened = device::PcapReader::open(file, options.nano ? device::TimestampPrecision::Nano
                                                              : device::TimestampPrecision::Micro);
    if (!opened) {
        error(opened.error());
        return 1;
    }
    device::PcapReader reader = std::move(opened).value();
    // tcpdump.c: "reading from file %s, link-type %s (%s), snapshot length %d".
    const std::uint32_t link = reader.link_type();
    std::fprintf(stderr, "reading from file %s, link-type %s (%s), snapshot length %u\n", file.c_str(),
                 device::link_type_name(link).c_str(), device::link_type_description(link).c_str(),
                 reader.snapshot_length());
    // tcpdump.c warns that LINUX_SLL2 interface names come from this machine, not the one that captured.
    if (link == static_cast<std::uint32_t>(device::LinkType::LinuxSll2)) {
        std::fprintf(stderr, "Warning: interface names might be incorrect\n");
    }
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
    dump::PacketPrinter printer(options, link);
    if (!printer.supported()) {
        error(fmt::format("packet printing is not supported for link type {}: use -w", device::link_type_name(link)));
        return 1;
    }

    const dump::RunResult run = dump::run_dump(reader, printer, count, stdout);
    switch (run.status) {
        case dump::RunResult::Status::Done: return 0;
        case dump::RunResult::Status::ReadError: error("pcap_loop: " + run.error); return 1;
        case dump::RunResult::Status::WriteError: error("unable to write output"); return 1;
    }
    return 1;
}

}  // namespace synack::tools
