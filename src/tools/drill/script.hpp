// A packetdrill script as the parser reads it: option lines, then a timeline of events — packets injected into
// the stack under test (`<`), packets it must send (`>`), system calls with their expected results, back-quoted
// shell commands and `%{ }%` code blocks. Nothing here knows a backend: the runner gives it meaning.
//
// The language is packetdrill's (google/packetdrill, gtests/net/packetdrill/parser.y and the scripts under
// gtests/net/tcp); synack reads it with its own parser (tools/drill/parser.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace synack::drill {

using Usecs = std::int64_t;  // script times are microseconds

// ---- When an event happens ----
enum class TimeKind : std::uint8_t {
    kNone,      // no time written (a leading `command` line): runs at the previous event's time
    kAbsolute,  // "0.100": from the script's start
    kRelative,  // "+0.100": from the previous event
    kAny,       // "*": an outbound packet at any time
};

struct EventTime {
    TimeKind kind = TimeKind::kNone;
    Usecs start = 0;
    std::optional<Usecs> end;  // "a~b" (or "+a~+b"): a range, same kind as start
};

// ---- Packets ----
enum class Direction : std::uint8_t {
    kInbound,   // '<': the script's remote host sends it to the stack under test
    kOutbound,  // '>': the stack under test must send it
};

// "[ect0]" style: the ECN codepoint of the IP header (and other IP-level fields written in brackets).
enum class EcnCodepoint : std::uint8_t { kNotEct, kEct1, kEct0, kCe, kEct01 /* ect0 or ect1 */ };

struct IpInfo {
    std::optional<EcnCodepoint> ecn;
    std::optional<std::uint8_t> tos;          // "[tos 0x10]"
    std::optional<std::uint32_t> flow_label;  // "(flowlabel 0x12345)"
    std::optional<std::uint8_t> ttl;          // "[ttl 64]" / hop limit
};

struct TcpOptionSpec {
    enum class Kind : std::uint8_t {
        kEol,        // eol
        kNop,        // nop
        kMss,        // mss V
        kWscale,     // wscale V
        kSackOk,     // sackOK
        kSack,       // sack L:R L:R ...
        kTimestamp,  // TS val V ecr E
        kFastOpen,   // FO [cookie hex] (RFC 7413) and the experimental form
        kMd5,        // md5 (16 bytes of signature, any value)
        kGeneric,    // any other option written as raw kind/length/bytes
    };
    Kind kind = Kind::kNop;
    std::uint32_t value = 0;  // mss, wscale shift, TS val
    std::uint32_t echo = 0;   // TS ecr
    std::vector<std::pair<std::uint32_t, std::uint32_t>> blocks;  // sack L:R, script sequence space
    std::vector<std::uint8_t> bytes;  // FO cookie; generic: the option's data after kind and length
    std::uint8_t generic_kind = 0;
};

struct TcpSpec {
    std::string flags;  // as written, e.g. "S", "S.", ".", "P.", "F.", "R.", "SEW"; "-" for none
    std::uint32_t start_seq = 0;
    std::uint32_t end_seq = 0;
    std::uint32_t payload_length = 0;   // the "(len)"
    std::optional<std::uint32_t> ack;   // "ack N"
    std::optional<std::uint32_t> window;
    std::optional<std::uint16_t> urgent;
    bool any_options = false;           // "<...>": any options (outbound only)
    std::vector<TcpOptionSpec> options; // no list written: no options
    std::optional<std::pair<std::uint16_t, std::uint16_t>> ports;  // "sport>dport" written before the flags
};

struct IcmpSpec {
    std::string type;                   // "unreachable", "time_exceeded", "echo_request" ...
    std::string code;                   // "frag_needed", "port_unreachable" ...; empty when absent
    std::optional<std::uint32_t> mtu;   // "mtu N"
    // The quoted TCP segment, when the line names one ("[1:1461(1460)]" style); script sequence space.
    std::optional<std::pair<std::uint32_t, std::uint32_t>> quoted_seq;  // start, end
    std::uint32_t quoted_length = 0;
};

struct PacketEvent {
    Direction direction = Direction::kInbound;
    bool ipv6 = false;  // only set when the line forces a family; otherwise the script's --ip_version decides
    IpInfo ip;
    std::variant<TcpSpec, IcmpSpec> body;
};

// ---- System calls ----
// An argument or a result as written: 3, -1, 0x10, SOL_SOCKET, "reno", ..., [1], [{fd=3, events=POLLIN}],
// {l_onoff=1, l_linger=0}, {..., 1000}, O_RDWR|O_NONBLOCK, htons(8080), inet_addr("198.18.0.1").
struct Expr {
    enum class Kind : std::uint8_t {
        kInteger,   // integer
        kName,      // text: a symbolic constant (SOL_SOCKET) or a -D definition's name
        kString,    // text: the string without its quotes, escapes resolved
        kEllipsis,  // "...": the default value (an address, a buffer)
        kList,      // items: "[a, b]"
        kStruct,    // items with fields: "{name=value, value}" (a field name may be empty: positional)
        kOr,        // items: "a|b|c"
        kCall,      // text: function name, items: arguments ("htons(8080)")
        kNull,      // "NULL"
    };
    Kind kind = Kind::kInteger;
    std::int64_t integer = 0;
    std::string text;
    std::vector<Expr> items;
    std::vector<std::string> fields;  // kStruct: one per item, "" for a positional member
};

struct SyscallEvent {
    std::string name;               // "socket", "accept", ...
    std::vector<Expr> args;
    Expr result;                    // usually an integer; kEllipsis for "= ..." (any)
    std::string errno_name;         // "EINPROGRESS" or empty
    std::string errno_note;         // the "(Operation now in progress)" text, not checked
    // "T...E": a blocking call that starts at the event time and must return at `end` (measured from the same
    // base as the start when relative).
    std::optional<EventTime> end;
};

// ---- Commands and code ----
struct CommandEvent {
    std::string text;  // between the back quotes
};

struct CodeEvent {
    std::string text;  // between %{ and }%
};

struct Event {
    int line = 0;  // 1-based line of the script where the event starts
    EventTime time;
    std::variant<PacketEvent, SyscallEvent, CommandEvent, CodeEvent> body;
};

// "--tolerance_usecs=10000" written in the script before the first event (name without the dashes).
struct OptionSetting {
    int line = 0;
    std::string name;
    std::string value;  // empty for a flag without "=value"
};

struct Script {
    std::string path;
    std::vector<OptionSetting> options;
    std::vector<Event> events;
};

// A parse failure: where and what.
struct ParseFailure {
    std::string path;
    int line = 0;
    std::string message;
    // "path:line: message", as compilers print it.
    std::string to_string() const { return path + ":" + std::to_string(line) + ": " + message; }
};

}  // namespace synack::drill
