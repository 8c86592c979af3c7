// Every capture in tests/tools/captures and data/captures, printed under each flag set, must equal what
// Debian's tcpdump 4.99.3 printed for it (tests/tools/expected/*.txt, written by make_expected.sh with
// `TZ=UTC tcpdump FLAGS -r FILE [tcp]`).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "device/pcap_reader.hpp"
#include "tools/dump/printer.hpp"
#include "tools/dump/run.hpp"

namespace synack::dump {
namespace {

namespace fs = std::filesystem;

struct FlagSet {
    std::string name;  // the expected file's middle part
    Options options;
    bool tcp_only = false;
};

Options with(std::initializer_list<void (*)(Options&)> setters) {
    Options o;
    o.numeric = 1;
    for (auto s : setters) s(o);
    return o;
}

std::vector<FlagSet> flag_sets() {
    return {
        {"n", with({}), false},
        {"nnvvvX", with({[](Options& o) { o.numeric = 2; o.verbose = 3; o.hex_ascii = 1; }}), true},
        {"en", with({[](Options& o) { o.link_header = true; }}), false},
        {"xxn", with({[](Options& o) { o.hex = 2; }}), false},
        {"Xn", with({[](Options& o) { o.hex_ascii = 1; }}), false},
        {"XXn", with({[](Options& o) { o.hex_ascii = 2; }}), false},
        {"An", with({[](Options& o) { o.ascii = 1; }}), false},
        {"Sn", with({[](Options& o) { o.absolute_seq = true; }}), false},
        {"qn", with({[](Options& o) { o.quiet = 1; }}), false},
        {"ttn", with({[](Options& o) { o.time_format = 2; }}), false},
        {"tttn", with({[](Options& o) { o.time_format = 3; }}), false},
        {"ttttn", with({[](Options& o) { o.time_format = 4; }}), false},
        {"tttttn", with({[](Options& o) { o.time_format = 5; }}), false},
        {"numbern", with({[](Options& o) { o.packet_number = true; }}), false},
        {"vvn", with({[](Options& o) { o.verbose = 2; }}), true},
        {"xen", with({[](Options& o) { o.hex = 1; o.link_header = true; }}), false},
        {"vn", with({[](Options& o) { o.verbose = 1; }}), true},
        {"nanon", with({[](Options& o) { o.nano = true; }}), false},
        {"nanotttn", with({[](Options& o) { o.nano = true; o.time_format = 3; }}), false},
    };
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string print_capture(const fs::path& capture, const Options& options, bool tcp_only) {
    auto reader = device::PcapReader::open(capture.string(), options.nano ? device::TimestampPrecision::Nano
                                                                          : device::TimestampPrecision::Micro);
    if (!reader.ok()) {
        ADD_FAILURE() << reader.error();
        return {};
    }
    if (tcp_only) {
        EXPECT_TRUE(reader->set_filter("tcp").ok());
    }
    PacketPrinter printer(options, reader->link_type());
    const RunResult run = run_dump(*reader, printer, 0, nullptr);  // the loop of `synack dump`, output kept
    EXPECT_EQ(run.status, RunResult::Status::Done) << run.error;
    return std::string(printer.output().view());
}

TEST(TcpdumpParity, EveryCaptureUnderEveryFlagSet) {
    setenv("TZ", "UTC", 1);
    const fs::path root = SYNACK_SOURCE_DIR;
    std::vector<fs::path> captures;
    for (const auto& dir : {root / "tests/tools/captures", root / "data/captures"}) {
        for (const auto& e : fs::directory_iterator(dir)) {
            if (e.path().extension() == ".pcap") captures.push_back(e.path());
        }
    }
    ASSERT_GE(captures.size(), 8u);
    std::size_t compared = 0;
    for (const fs::path& capture : captures) {
        for (const FlagSet& fs_ : flag_sets()) {
            const fs::path expected = root / "tests/tools/expected" /
                                      (capture.stem().string() + "." + fs_.name + ".txt");
            ASSERT_TRUE(fs::exists(expected)) << expected;
            EXPECT_EQ(print_capture(capture, fs_.options, fs_.tcp_only), read_file(expected))
                << capture.filename() << " with " << fs_.name;
            ++compared;
        }
    }
    EXPECT_EQ(compared, captures.size() * flag_sets().size());
}

}  // namespace
}  // namespace synack::dump
