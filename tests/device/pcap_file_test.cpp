#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "device/pcap_reader.hpp"
#include "device/pcap_writer.hpp"
#include "device/pcapng_writer.hpp"

namespace synack::device {
namespace {

const std::string kSeedRedis = std::string(SYNACK_SOURCE_DIR) + "/data/captures/seed-redis-ping.pcap";

struct Frame {
    CaptureTimestamp timestamp;
    std::uint32_t wire_length;
    std::vector<std::uint8_t> bytes;
};

std::vector<Frame> read_all(PcapReader& reader) {
    std::vector<Frame> frames;
    CaptureRecord r;
    while (reader.next(r) == PcapReader::Next::Record) {
        frames.push_back({r.timestamp, r.wire_length, {r.data.begin(), r.data.end()}});
    }
    return frames;
}

std::string temp_path(const std::string& name) {
    return testing::TempDir() + "synack-" + name + "-" + std::to_string(::getpid());
}

std::vector<char> file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const std::string& path, const std::vector<char>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(PcapReader, ReadsTheSeedCapture) {
    auto reader = PcapReader::open(kSeedRedis);
    ASSERT_TRUE(reader.ok()) << reader.error();
    EXPECT_EQ(reader->link_type(), static_cast<std::uint32_t>(LinkType::Raw));
    EXPECT_EQ(reader->snapshot_length(), 262144u);
    EXPECT_EQ(link_type_name(reader->link_type()), "RAW");
    EXPECT_EQ(link_type_description(reader->link_type()), "Raw IP");
    const auto frames = read_all(*reader);
    ASSERT_EQ(frames.size(), 2u);
    // tcpdump prints 10:55:45.662077 (UTC) and "length 60" (IP total length) for the SYN.
    EXPECT_EQ(frames[0].timestamp.nanoseconds, 662077000u);
    EXPECT_EQ(frames[0].timestamp.seconds % 86400, 10 * 3600 + 55 * 60 + 45);
    EXPECT_EQ(frames[0].wire_length, 60u);
    ASSERT_EQ(frames[0].bytes.size(), 60u);
    EXPECT_EQ(frames[0].bytes[0], 0x45);
    EXPECT_EQ(frames[1].wire_length, 66u);
    EXPECT_EQ(frames[1].bytes[65], 0x0a);  // the "\n" that ends "*1\r\n$4\r\nping\r\n"
}

TEST(PcapReader, MissingGarbageAndEmptyFilesAreErrors) {
    EXPECT_FALSE(PcapReader::open("/nonexistent/capture.pcap").ok());
    const auto garbage = temp_path("garbage");
    write_bytes(garbage, std::vector<char>(64, 'x'));
    auto r = PcapReader::open(garbage);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), "unknown file format");
    const auto empty = temp_path("empty");
    write_bytes(empty, {});
    EXPECT_FALSE(PcapReader::open(empty).ok());
    std::remove(garbage.c_str());
    std::remove(empty.c_str());
}

TEST(PcapReader, TruncatedRecordIsAnErrorAfterTheGoodOnes) {
    // Cut the seed file inside its second record: the first record still reads, then an error, never a crash.
    auto bytes = file_bytes(kSeedRedis);
    ASSERT_EQ(bytes.size(), 24u + 16 + 60 + 16 + 66);
    bytes.resize(24 + 16 + 60 + 16 + 30);
    const auto path = temp_path("truncated");
    write_bytes(path, bytes);
    auto reader = PcapReader::open(path);
    ASSERT_TRUE(reader.ok());
    CaptureRecord r;
    EXPECT_EQ(reader->next(r), PcapReader::Next::Record);
    EXPECT_EQ(reader->next(r), PcapReader::Next::Error);
    EXPECT_EQ(reader->error(), "truncated dump file; tried to read 66 captured bytes, only got 30");
    std::remove(path.c_str());
}

TEST(PcapReader, FilterCompiledAsTcpdumpDoes) {
    auto reader = PcapReader::open(kSeedRedis);
    ASSERT_TRUE(reader.ok());
    ASSERT_TRUE(reader->set_filter("tcp[tcpflags] & tcp-push != 0").ok());
    CaptureRecord r;
    ASSERT_EQ(reader->next(r), PcapReader::Next::Record);
    EXPECT_FALSE(reader->matches(r));  // the SYN
    ASSERT_EQ(reader->next(r), PcapReader::Next::Record);
    EXPECT_TRUE(reader->matches(r));  // the PING, [P.]
    auto bad = reader->set_filter("tcp port");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().find("syntax error"), std::string::npos) << bad.error();
}

// tcpdump.c reading a file: "localnet = 0; netmask = 0;" then pcap_compile(..., netmask). With netmask 0, `ip
// broadcast` compiles (libpcap refuses it with PCAP_NETMASK_UNKNOWN) and matches 255.255.255.255 and 0.0.0.0.
TEST(PcapReader, FilterNetmaskIsZeroAsTcpdumpsForAFile) {
    const auto path = temp_path("broadcast.pcap");
    const std::uint8_t to_broadcast[20] = {0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 198, 18, 0, 1, 255, 255, 255, 255};
    const std::uint8_t to_host[20] = {0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 198, 18, 0, 1, 198, 18, 0, 255};
    {
        auto w = PcapWriter::create(path, static_cast<std::uint32_t>(LinkType::Raw));
        ASSERT_TRUE(w.ok()) << w.error();
        w->write(CaptureTimestamp{1, 0}, to_broadcast);
        w->write(CaptureTimestamp{2, 0}, to_host);
    }
    auto reader = PcapReader::open(path);
    ASSERT_TRUE(reader.ok());
    const auto set = reader->set_filter("ip broadcast");
    ASSERT_TRUE(set.ok()) << set.error();
    CaptureRecord r;
    ASSERT_EQ(reader->next(r), PcapReader::Next::Record);
    EXPECT_TRUE(reader->matches(r));
    ASSERT_EQ(reader->next(r), PcapReader::Next::Record);
    EXPECT_FALSE(reader->matches(r));  // 198.18.0.255 is no broadcast without a netmask
    std::remove(path.c_str());
}

// A damaged file's record time stamp reads back as the header holds it — tcpdump prints "10.5000000" for a
// microsecond field of 5,000,000 — in both precisions (libpcap scales micro to nano in a long; tcpdump --nano
// prints the low 32 bits, ".705032704").
TEST(PcapReader, KeepsADamagedRecordsTimeStampFieldsUnnormalised) {
    const auto path = temp_path("damaged-time.pcap");
    const std::uint8_t packet[20] = {0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 198, 18, 0, 1, 198, 18, 0, 2};
    {
        auto w = PcapWriter::create(path, static_cast<std::uint32_t>(LinkType::Raw));
        ASSERT_TRUE(w.ok()) << w.error();
        w->write(CaptureTimestamp{10, 5000000LL * 1000}, packet);  // µs field 5,000,000
        w->write(CaptureTimestamp{-1, -1000}, packet);             // both fields 0xffffffff
    }
    auto micro = PcapReader::open(path);
    ASSERT_TRUE(micro.ok());
    const auto frames = read_all(*micro);
    ASSERT_EQ(frames.size(), 2u);
    EXPECT_EQ(frames[0].timestamp.seconds, 10);
    EXPECT_EQ(frames[0].timestamp.nanoseconds, 5000000LL * 1000);
    EXPECT_EQ(frames[1].timestamp.seconds, -1);
    EXPECT_EQ(frames[1].timestamp.nanoseconds, -1000);
    auto nano = PcapReader::open(path, TimestampPrecision::Nano);
    ASSERT_TRUE(nano.ok());
    const auto scaled = read_all(*nano);
    ASSERT_EQ(scaled.size(), 2u);
    EXPECT_EQ(scaled[0].timestamp.nanoseconds, 5000000LL * 1000);
    EXPECT_EQ(scaled[1].timestamp.nanoseconds, -1000);
    std::remove(path.c_str());
}

TEST(PcapWriter, RawIpIsLinktype101InTheFile) {
    // libpcap's API calls raw IP DLT_RAW (12 on Linux); the file must say LINKTYPE_RAW, 101, as the seed does.
    const auto path = temp_path("raw.pcap");
    {
        auto w = PcapWriter::create(path, static_cast<std::uint32_t>(LinkType::Raw));
        ASSERT_TRUE(w.ok()) << w.error();
    }
    const auto bytes = file_bytes(path);
    ASSERT_EQ(bytes.size(), 24u);
    const auto seed = file_bytes(kSeedRedis);
    EXPECT_TRUE(std::equal(bytes.begin() + 20, bytes.begin() + 24, seed.begin() + 20));  // link type field
    auto reader = PcapReader::open(path);
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ(reader->link_type(), 101u);
    std::remove(path.c_str());
}

TEST(PcapWriter, AFailedWriteIsReportedByFlush) {
    // /dev/full accepts the open and fails every write with ENOSPC, as a full disk does.
    auto w = PcapWriter::create("/dev/full", static_cast<std::uint32_t>(LinkType::Raw));
    ASSERT_TRUE(w.ok()) << w.error();
    const std::vector<std::uint8_t> frame(64, 0x45);
    w->write(CaptureTimestamp{1, 0}, wire::Bytes(frame.data(), frame.size()));
    const auto flushed = w->flush();
    ASSERT_FALSE(flushed.ok());
    EXPECT_EQ(flushed.error(), "cannot write the capture file");
}

class CaptureRoundTrip : public testing::TestWithParam<std::tuple<bool, TimestampPrecision>> {};

TEST_P(CaptureRoundTrip, WrittenFramesReadBackIdentically) {
    const auto [pcapng, precision] = GetParam();
    const auto path = temp_path(pcapng ? "rt.pcapng" : "rt.pcap");
    const std::vector<std::uint8_t> frame_a = {1, 2, 3, 4, 5};
    const std::vector<std::uint8_t> frame_b(300, 0xab);
    const CaptureTimestamp ta{1700000000, 123456789};
    const CaptureTimestamp tb{1700000001, 999000};
    {
        if (pcapng) {
            auto w = PcapngWriter::create(path, static_cast<std::uint32_t>(LinkType::Ethernet), 200, precision);
            ASSERT_TRUE(w.ok()) << w.error();
            w->write(ta, frame_a);
            w->write(tb, frame_b);  // cut to the 200-byte snapshot, wire length stays 300
            ASSERT_TRUE(w->flush().ok());
        } else {
            auto w = PcapWriter::create(path, static_cast<std::uint32_t>(LinkType::Ethernet), 200, precision);
            ASSERT_TRUE(w.ok()) << w.error();
            w->write(ta, frame_a);
            w->write(tb, frame_b);
            ASSERT_TRUE(w->flush().ok());
        }
    }
    auto reader = PcapReader::open(path, TimestampPrecision::Nano);
    ASSERT_TRUE(reader.ok()) << reader.error();
    EXPECT_EQ(reader->link_type(), 1u);
    EXPECT_EQ(reader->snapshot_length(), 200u);
    const auto frames = read_all(*reader);
    ASSERT_EQ(frames.size(), 2u);
    const std::uint32_t expected_ns = precision == TimestampPrecision::Nano ? 123456789u : 123456000u;
    EXPECT_EQ(frames[0].timestamp.seconds, ta.seconds);
    EXPECT_EQ(frames[0].timestamp.nanoseconds, expected_ns);
    EXPECT_EQ(frames[0].bytes, frame_a);
    EXPECT_EQ(frames[0].wire_length, 5u);
    EXPECT_EQ(frames[1].timestamp.seconds, tb.seconds);
    EXPECT_EQ(frames[1].timestamp.nanoseconds, 999000u);
    EXPECT_EQ(frames[1].bytes, std::vector<std::uint8_t>(200, 0xab));
    EXPECT_EQ(frames[1].wire_length, 300u);
    std::remove(path.c_str());
}

INSTANTIATE_TEST_SUITE_P(PcapAndPcapng, CaptureRoundTrip,
                         testing::Combine(testing::Bool(),
                                          testing::Values(TimestampPrecision::Micro, TimestampPrecision::Nano)));

}  // namespace
}  // namespace synack::device
