// `synack demo`, run as the user runs it (the synack binary next to this test's build directory, or
// $SYNACK_BINARY): the exact transcript of the default run — its packet lines checked against what tcpdump
// prints for the pcap the run wrote, its state lines against RFC 9293's close sequence — the state lines of
// every --close mode, --loss completing with retransmissions, --isn-wrap's sequence numbers, and --pcap files
// that tcpdump reads and `synack dump` prints exactly as the demo did.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace synack::sim::test {
namespace {

namespace fs = std::filesystem;

struct Output {
    int status = -1;
    std::string out;
    std::vector<std::string> lines() const {
        std::vector<std::string> v;
        std::istringstream in(out);
        for (std::string l; std::getline(in, l);) v.push_back(l);
        return v;
    }
};

Output run(const std::string& command) {
    Output r;
    FILE* p = popen(command.c_str(), "r");
    if (p == nullptr) return r;
    std::array<char, 4096> buffer{};
    std::size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), p)) > 0) r.out.append(buffer.data(), n);
    const int status = pclose(p);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string synack_binary() {
    if (const char* env = std::getenv("SYNACK_BINARY")) return env;
    // build/<dir>/tests/sim_tests → build/<dir>/src/synack
    return (fs::read_symlink("/proc/self/exe").parent_path().parent_path() / "src" / "synack").string();
}

bool have_tcpdump() { return run("command -v tcpdump >/dev/null 2>&1").status == 0; }

class Demo : public ::testing::Test {
protected:
    void SetUp() override {
        binary_ = synack_binary();
        ASSERT_TRUE(fs::exists(binary_)) << binary_ << " is missing: build the synack target (or set SYNACK_BINARY)";
        dir_ = fs::temp_directory_path() / ("synack-demo-test-" + std::to_string(getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    Output demo(const std::string& args) { return run(binary_ + " demo " + args + " 2>/dev/null"); }
    std::string pcap(const std::string& name) const { return (dir_ / name).string(); }

    std::string binary_;
    fs::path dir_;
};

bool is_note(const std::string& line) {
    for (const char* prefix : {"    client: ", "    server: ", "    lost on the link", "    dropped by the link"}) {
        if (line.rfind(prefix, 0) == 0) return true;
    }
    return false;
}

// The transcript without the header and the stacks' notes: what a printer of the capture prints.
std::vector<std::string> packet_lines(const Output& r) {
    std::vector<std::string> out;
    const auto lines = r.lines();
    for (std::size_t i = 1; i < lines.size(); ++i) {
        if (!is_note(lines[i])) out.push_back(lines[i]);
    }
    return out;
}

// The state lines of one side ("client" or "server"), without the side's name.
std::vector<std::string> states(const Output& r, const std::string& side) {
    std::vector<std::string> out;
    const std::string prefix = "    " + side + ": ";
    for (const std::string& l : r.lines()) {
        if (l.rfind(prefix, 0) == 0 && l.find(" → ") != std::string::npos) out.push_back(l.substr(prefix.size()));
    }
    return out;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST_F(Demo, DefaultRunIsTheCapturedExchangeWithEachSidesStates) {
    if (!have_tcpdump()) GTEST_SKIP() << "tcpdump is not installed";
    const std::string file = pcap("default.pcap");
    const Output r = demo("--seed 1 --pcap " + file);
    ASSERT_EQ(r.status, 0) << r.out;
    // The packet lines are tcpdump's for the capture the run wrote (times in UTC, the demo's clock).
    const Output t = run("TZ=UTC tcpdump -nn -r " + file + " 2>/dev/null");
    ASSERT_EQ(t.status, 0);
    const std::vector<std::string> tcpdump = t.lines();
    ASSERT_EQ(tcpdump.size(), 10u) << t.out;

    // The segments, as Linux exchanges them (tests/stack/linux/captured/passive_threeway.txt for the server's
    // side): the handshake, PING acknowledged at once (quick ACK mode) and answered, PONG acknowledged, then
    // the three-segment close — the server's application closes as soon as it reads the end of the stream, so
    // its FIN carries the ACK of the client's. One link, 1 ms each way: one millisecond per hop.
    const std::string c = "IP 198.18.0.1.";
    const std::string s = "IP 198.18.0.2.6379 > 198.18.0.1.";
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"00:00:00.000000 " + c, "Flags [S], seq "},
        {"00:00:00.001000 " + s, "Flags [S.], seq "},
        {"00:00:00.002000 " + c, "Flags [.], ack 1, win 502, options [nop,nop,TS val "},
        {"00:00:00.002000 " + c, "Flags [P.], seq 1:15, ack 1, win 502, options [nop,nop,TS val "},
        {"00:00:00.003000 " + s, "Flags [.], ack 15, win 509, options [nop,nop,TS val "},
        {"00:00:00.003000 " + s, "Flags [P.], seq 1:8, ack 15, win 509, options [nop,nop,TS val "},
        {"00:00:00.004000 " + c, "Flags [.], ack 8, win 502, options [nop,nop,TS val "},
        {"00:00:00.004000 " + c, "Flags [F.], seq 15, ack 8, win 502, options [nop,nop,TS val "},
        {"00:00:00.005000 " + s, "Flags [F.], seq 8, ack 16, win 509, options [nop,nop,TS val "},
        {"00:00:00.006000 " + c, "Flags [.], ack 9, win 502, options [nop,nop,TS val "},
    };
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(tcpdump[i].rfind(expected[i].first, 0), 0u) << tcpdump[i];
        EXPECT_TRUE(contains(tcpdump[i], expected[i].second)) << tcpdump[i];
    }
    EXPECT_TRUE(contains(tcpdump[0], "win 64240, options [mss 1460,sackOK,TS val ")) << tcpdump[0];
    EXPECT_TRUE(contains(tcpdump[1], "win 65160, options [mss 1460,sackOK,TS val ")) << tcpdump[1];
    EXPECT_TRUE(contains(tcpdump[3], "length 14: RESP \"ping\"")) << tcpdump[3];
    EXPECT_TRUE(contains(tcpdump[5], "length 7: RESP \"PONG\"")) << tcpdump[5];

    // The whole transcript: a header, then each packet line preceded by the transitions that led to it.
    const auto note = [](const std::string& text) { return "    " + text; };
    const std::vector<std::string> want = {
        "synack demo: client 198.18.0.1 and server 198.18.0.2 port 6379 on one simulated link (1 ms each way, MTU "
        "1500), seed 1; the client closes first",
        note("server: CLOSED → LISTEN"),
        note("client: CLOSED → SYN_SENT"),
        tcpdump[0],
        note("server: LISTEN → SYN_RECEIVED"),
        tcpdump[1],
        note("client: SYN_SENT → ESTABLISHED"),
        tcpdump[2],
        tcpdump[3],
        note("server: SYN_RECEIVED → ESTABLISHED"),
        tcpdump[4],
        tcpdump[5],
        tcpdump[6],
        note("client: ESTABLISHED → FIN_WAIT_1"),
        tcpdump[7],
        note("server: ESTABLISHED → CLOSE_WAIT"),
        note("server: CLOSE_WAIT → LAST_ACK"),
        tcpdump[8],
        note("client: FIN_WAIT_1 → FIN_WAIT_2"),
        tcpdump[9],
        note("client: FIN_WAIT_2 → TIME_WAIT"),
        note("server: LAST_ACK → CLOSED"),
        // TIME_WAIT lasts 60 s (Linux TCP_TIMEWAIT_LEN) from the last ACK at 6 ms.
        note("client: TIME_WAIT → CLOSED (at 00:01:00.006000)"),
    };
    EXPECT_EQ(r.lines(), want);
}

TEST_F(Demo, StateLinesOfEachCloseMode) {
    const std::vector<std::string> open_client = {"CLOSED → SYN_SENT", "SYN_SENT → ESTABLISHED"};
    const std::vector<std::string> open_server = {"CLOSED → LISTEN", "LISTEN → SYN_RECEIVED",
                                                  "SYN_RECEIVED → ESTABLISHED"};
    const auto with = [](std::vector<std::string> v, const std::vector<std::string>& more) {
        v.insert(v.end(), more.begin(), more.end());
        return v;
    };
    // RFC 9293 §3.6: the active closer goes FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT; the passive one CLOSE_WAIT,
    // LAST_ACK, CLOSED; in a simultaneous close both go FIN_WAIT_1, CLOSING, TIME_WAIT.
    const std::vector<std::string> active = {"ESTABLISHED → FIN_WAIT_1", "FIN_WAIT_1 → FIN_WAIT_2",
                                             "FIN_WAIT_2 → TIME_WAIT", "TIME_WAIT → CLOSED"};
    const std::vector<std::string> passive = {"ESTABLISHED → CLOSE_WAIT", "CLOSE_WAIT → LAST_ACK",
                                              "LAST_ACK → CLOSED"};
    const std::vector<std::string> simultaneous = {"ESTABLISHED → FIN_WAIT_1", "FIN_WAIT_1 → CLOSING",
                                                   "CLOSING → TIME_WAIT", "TIME_WAIT → CLOSED"};
    const auto strip_time = [](std::vector<std::string> v) {
        for (std::string& l : v) l = l.substr(0, l.find(" (at "));
        return v;
    };
    for (const bool v6 : {false, true}) {
        const std::string family = v6 ? " --ipv6" : "";
        const Output client = demo("--close client" + family);
        ASSERT_EQ(client.status, 0);
        EXPECT_EQ(strip_time(states(client, "client")), with(open_client, active));
        EXPECT_EQ(strip_time(states(client, "server")), with(open_server, passive));
        const Output server = demo("--close server" + family);
        ASSERT_EQ(server.status, 0);
        EXPECT_EQ(strip_time(states(server, "client")), with(open_client, passive));
        EXPECT_EQ(strip_time(states(server, "server")), with(open_server, active));
        const Output both = demo("--close simultaneous" + family);
        ASSERT_EQ(both.status, 0);
        EXPECT_EQ(strip_time(states(both, "client")), with(open_client, simultaneous));
        EXPECT_EQ(strip_time(states(both, "server")), with(open_server, simultaneous));
        // Both FINs leave before either arrives: each carries the ACK of the other side's last data only.
        const auto lines = packet_lines(both);
        int fins = 0;
        for (const std::string& l : lines) fins += contains(l, "Flags [F.]") ? 1 : 0;
        EXPECT_EQ(fins, 2);
    }
}

TEST_F(Demo, ServerClosingFirstSendsItsFinAfterThePongAndGetsAThreeSegmentClose) {
    const Output r = demo("--close server --seed 1");
    ASSERT_EQ(r.status, 0);
    const auto lines = packet_lines(r);
    ASSERT_EQ(lines.size(), 10u) << r.out;
    // The server's FIN follows PONG at once (seq 8); the client acknowledges PONG (quick ACK), then its
    // application reads PONG and the end of the stream and closes: its FIN carries the ACK of the server's.
    EXPECT_TRUE(contains(lines[5], "IP 198.18.0.2.6379 > ")) << lines[5];
    EXPECT_TRUE(contains(lines[5], "Flags [P.], seq 1:8, ack 15,")) << lines[5];
    EXPECT_TRUE(contains(lines[6], "Flags [F.], seq 8, ack 15,")) << lines[6];
    EXPECT_TRUE(contains(lines[7], "Flags [.], ack 8,")) << lines[7];
    EXPECT_TRUE(contains(lines[8], "Flags [F.], seq 15, ack 9,")) << lines[8];
    EXPECT_TRUE(contains(lines[9], "Flags [.], ack 16,")) << lines[9];
}

TEST_F(Demo, LossStillCompletesAndShowsTheRetransmissions) {
    // The README's run: 20 % loss each way, seed 7.
    const Output r = demo("--loss 20 --seed 7");
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_TRUE(contains(r.lines()[0], ", 20% loss each way), seed 7;")) << r.lines()[0];
    EXPECT_TRUE(contains(r.out, "    lost on the link: the ")) << r.out;
    EXPECT_TRUE(contains(r.out, ": retransmission timeout\n")) << r.out;
    // A retransmission is the same segment again: some packet line repeats, but for its time and TSval.
    const auto lines = packet_lines(r);
    std::vector<std::string> keys;
    for (const std::string& l : lines) keys.push_back(l.substr(16, l.find("TS val") - 16));
    bool repeated = false;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        for (std::size_t j = i + 1; j < keys.size(); ++j) repeated = repeated || keys[i] == keys[j];
    }
    EXPECT_TRUE(repeated) << r.out;
    EXPECT_EQ(states(r, "client").back().rfind("TIME_WAIT → CLOSED (at 00:01:00.", 0), 0u) << r.out;
    EXPECT_EQ(states(r, "server").back(), "LAST_ACK → CLOSED");

    // Over many seeds the exchange completes too (the demo exits 1 when it does not).
    for (int seed = 1; seed <= 12; ++seed) {
        const Output each = demo("--loss 20 --seed " + std::to_string(seed));
        EXPECT_EQ(each.status, 0) << "seed " << seed << "\n" << each.out;
        EXPECT_TRUE(contains(each.out, "RESP \"ping\"") && contains(each.out, "RESP \"PONG\"")) << seed;
    }
}

TEST_F(Demo, IsnWrapPutsBothIsnsJustBelowTwoToThe32) {
    const Output r = demo("--isn-wrap --seed 1");
    ASSERT_EQ(r.status, 0) << r.out;
    const auto lines = packet_lines(r);
    ASSERT_EQ(lines.size(), 10u) << r.out;
    // 2^32 - 5 and 2^32 - 2, printed absolute (-S): the client's 14 bytes are 4294967292 … 9, the server's 7
    // bytes 4294967295 … 5, and every later number is past the wrap.
    EXPECT_TRUE(contains(lines[0], "Flags [S], seq 4294967291, win 64240")) << lines[0];
    EXPECT_TRUE(contains(lines[1], "Flags [S.], seq 4294967294, ack 4294967292,")) << lines[1];
    EXPECT_TRUE(contains(lines[2], "Flags [.], ack 4294967295,")) << lines[2];
    EXPECT_TRUE(contains(lines[3], "Flags [P.], seq 4294967292:10, ack 4294967295,")) << lines[3];
    EXPECT_TRUE(contains(lines[4], "Flags [.], ack 10,")) << lines[4];
    EXPECT_TRUE(contains(lines[5], "Flags [P.], seq 4294967295:6, ack 10,")) << lines[5];
    EXPECT_TRUE(contains(lines[6], "Flags [.], ack 6,")) << lines[6];
    EXPECT_TRUE(contains(lines[7], "Flags [F.], seq 10, ack 6,")) << lines[7];
    EXPECT_TRUE(contains(lines[8], "Flags [F.], seq 6, ack 11,")) << lines[8];
    EXPECT_TRUE(contains(lines[9], "Flags [.], ack 7,")) << lines[9];
    // With loss and over IPv6 the ISNs land there as well.
    const Output lossy = demo("--isn-wrap --ipv6 --loss 30 --seed 3");
    ASSERT_EQ(lossy.status, 0) << lossy.out;
    EXPECT_TRUE(contains(lossy.out, "Flags [S], seq 4294967291,")) << lossy.out;
    EXPECT_TRUE(contains(lossy.out, "Flags [S.], seq 4294967294, ack 4294967292,")) << lossy.out;
}

TEST_F(Demo, PcapIsReadByTcpdumpAndDumpPrintsWhatTheDemoPrinted) {
    if (!have_tcpdump()) GTEST_SKIP() << "tcpdump is not installed";
    for (const std::string& args : {std::string("--seed 1"), std::string("--close server --explain --ipv6"),
                                    std::string("--loss 20 --seed 7 -v"), std::string("--isn-wrap -X")}) {
        const std::string file = pcap("run.pcap");
        const Output r = demo(args + " --pcap " + file);
        ASSERT_EQ(r.status, 0) << args;
        std::string flags = "-nn";
        for (const char* f : {" --explain", " -v", " -X"}) {
            if (contains(args, f)) flags += f;
        }
        if (contains(args, "--isn-wrap")) flags += " -S";
        const Output dumped = run(binary_ + " dump " + flags + " -r " + file + " 2>/dev/null");
        ASSERT_EQ(dumped.status, 0) << args;
        EXPECT_EQ(dumped.lines(), packet_lines(r)) << args;
        // tcpdump reads the file and prints as many packets (one line each without -v, -X, --explain).
        const Output t = run("TZ=UTC tcpdump -nn -r " + file + " 2>/dev/null");
        ASSERT_EQ(t.status, 0) << args;
        int printed = 0;
        for (const std::string& l : dumped.lines()) printed += (l.size() > 2 && l[2] == ':') ? 1 : 0;
        EXPECT_EQ(t.lines().size(), static_cast<std::size_t>(printed)) << args;
    }
}

TEST_F(Demo, SameSeedSamePcapOtherSeedOtherPcap) {
    const auto read = [](const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    ASSERT_EQ(demo("--loss 20 --seed 5 --pcap " + pcap("a.pcap")).status, 0);
    ASSERT_EQ(demo("--loss 20 --seed 5 --pcap " + pcap("b.pcap")).status, 0);
    ASSERT_EQ(demo("--loss 20 --seed 6 --pcap " + pcap("c.pcap")).status, 0);
    const std::string a = read(pcap("a.pcap"));
    EXPECT_GT(a.size(), 24u);
    EXPECT_EQ(a, read(pcap("b.pcap")));
    EXPECT_NE(a, read(pcap("c.pcap")));
}

TEST_F(Demo, BadOptionsAreRefused) {
    EXPECT_NE(demo("--close sideways").status, 0);
    EXPECT_NE(demo("--loss 150").status, 0);
    EXPECT_NE(demo("--pcap /nonexistent-dir/x.pcap").status, 0);
}

}  // namespace
}  // namespace synack::sim::test
