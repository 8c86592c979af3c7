#include "tools/drill/parser.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

#include "tools/drill/expr_text.hpp"
#include "tools/drill/lexer.hpp"

namespace synack::drill {
namespace {

constexpr int kMaxExprDepth = 32;           // [ { ( nesting inside one expression
constexpr std::size_t kMaxTcpOptionBytes = 40;  // packetdrill's tcp_options_append(): MAX_TCP_OPTION_BYTES
// tcp_options.h: a cookie may fill the option space (RFC 7413 wants 4 to 16 bytes; longer ones test stacks).
constexpr std::size_t kMaxCookieBytes = kMaxTcpOptionBytes - 2;     // FO: kind, length
constexpr std::size_t kMaxExpCookieBytes = kMaxTcpOptionBytes - 4;  // FOEXP: kind, length, magic
constexpr std::size_t kMaxMd5DigestBytes = 16;  // RFC 2385: a 16-byte digest

std::string describe(const Token& t) {
    switch (t.kind) {
        case TokenKind::kEnd: return "the end of the script";
        case TokenKind::kString: return "string \"" + t.text + "\"";
        case TokenKind::kBackQuoted: return "a back-quoted command";
        case TokenKind::kCode: return "a %{ }% code block";
        case TokenKind::kOption: return "'--" + t.text + "'";
        case TokenKind::kEllipsis: return "'...'";
        default: return "'" + t.text + "'";
    }
}

// Decimal "[-]digits" → int64; nullopt past int64's range.
std::optional<std::int64_t> decimal_value(std::string_view text) {
    bool negative = !text.empty() && text.front() == '-';
    if (negative) text.remove_prefix(1);
    if (text.empty()) return std::nullopt;
    std::uint64_t value = 0;
    const std::uint64_t limit = negative ? std::uint64_t{1} << 63 : (std::uint64_t{1} << 63) - 1;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
        if (value > (limit - digit) / 10) return std::nullopt;
        value = value * 10 + digit;
    }
    if (negative) {
        return value == (std::uint64_t{1} << 63) ? std::numeric_limits<std::int64_t>::min()
                                                   : -static_cast<std::int64_t>(value);
    }
    return static_cast<std::int64_t>(value);
}

// "0x..." → its 64 bits; nullopt past 64 bits.
std::optional<std::uint64_t> hex_value(std::string_view text) {
    if (text.size() < 3 || text.substr(0, 2) != "0x") return std::nullopt;
    std::uint64_t value = 0;
    for (char c : text.substr(2)) {
        unsigned digit = 0;
        if (c >= '0' && c <= '9') digit = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f') digit = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') digit = static_cast<unsigned>(c - 'A' + 10);
        else return std::nullopt;
        if (value >> 60 != 0) return std::nullopt;
        value = value << 4 | digit;
    }
    return value;
}

// An even number of hex digits → bytes; nullopt otherwise.
std::optional<std::vector<std::uint8_t>> hex_bytes(std::string_view text) {
    if (text.size() % 2 != 0) return std::nullopt;
    std::vector<std::uint8_t> bytes;
    for (std::size_t i = 0; i < text.size(); i += 2) {
        auto high = hex_value(std::string("0x") + text[i]);
        auto low = hex_value(std::string("0x") + text[i + 1]);
        if (!high || !low) return std::nullopt;
        bytes.push_back(static_cast<std::uint8_t>(*high << 4 | *low));
    }
    return bytes;
}

std::size_t option_length(const TcpOptionSpec& o) {
    switch (o.kind) {
        case TcpOptionSpec::Kind::kEol:
        case TcpOptionSpec::Kind::kNop: return 1;
        case TcpOptionSpec::Kind::kMss: return 4;
        case TcpOptionSpec::Kind::kWscale: return 3;
        case TcpOptionSpec::Kind::kSackOk: return 2;
        case TcpOptionSpec::Kind::kSack: return 2 + 8 * o.blocks.size();
        case TcpOptionSpec::Kind::kTimestamp: return 10;
        case TcpOptionSpec::Kind::kFastOpen:
        case TcpOptionSpec::Kind::kMd5:
        case TcpOptionSpec::Kind::kGeneric: return 2 + o.bytes.size();
    }
    return 0;
}

class Parser {
public:
    Parser(std::string_view text, std::string path, const Definitions& defines)
        : lexer_(text), path_(std::move(path)), command_line_defines_(defines) {}

    Result<Script, ParseFailure> run() {
        Script script;
        script.path = path_;
        if (parse_options(script) && parse_events(script)) {
            return script;
        }
        return Err{ParseFailure{path_, failure_line_, failure_}};
    }

private:
    // ---- failures: the first one wins; every parse function returns false once one is recorded ----
    bool fail(int line, std::string message) {
        if (failure_.empty()) {
            failure_line_ = line;
            failure_ = std::move(message);
        }
        return false;
    }
    bool fail_at_next(const std::string& expected) {
        const Token& t = lexer_.peek();
        if (t.kind == TokenKind::kError) return fail(t.line, t.text);
        // At the end of the script, the line that lacks something is the last one read.
        return fail(t.kind == TokenKind::kEnd ? lexer_.last_line() : t.line,
                    "expected " + expected + ", found " + describe(t));
    }
    bool expect_punct(char c, const std::string& what) {
        if (!lexer_.peek().is(c)) return fail_at_next(what);
        lexer_.next();
        return true;
    }
    // An INTEGER token in [min, max] (packetdrill's is_valid_u16() and friends).
    bool expect_integer(std::int64_t min, std::int64_t max, const std::string& what, const std::string& range_message,
                        std::int64_t& out) {
        const Token& t = lexer_.peek();
        if (t.kind != TokenKind::kInteger) return fail_at_next(what);
        auto value = decimal_value(t.text);
        if (!value || *value < min || *value > max) return fail(t.line, range_message + ": " + t.text);
        out = *value;
        lexer_.next();
        return true;
    }
    bool expect_u32(const std::string& what, const std::string& range_message, std::uint32_t& out) {
        std::int64_t v = 0;
        if (!expect_integer(0, 0xffffffff, what, range_message, v)) return false;
        out = static_cast<std::uint32_t>(v);
        return true;
    }

    // ---- option lines: "--name=value" or "--name", before the first event ----
    bool parse_options(Script& script) {
        Definitions merged;
        while (lexer_.peek().kind == TokenKind::kOption) {
            Token name = lexer_.next();
            OptionSetting setting;
            setting.line = name.line;
            setting.name = name.text;
            if (auto value = lexer_.raw_option_value()) {
                if (value->text.empty()) return fail(value->line, "expected a value after '--" + name.text + "='");
                setting.value = value->text;
            }
            if (setting.name == "define") {
                std::size_t equals = setting.value.find('=');
                if (equals == std::string::npos || equals == 0) {
                    return fail(setting.line, "bad definition '" + setting.value + "': expected --define=NAME=value");
                }
                merged[setting.value.substr(0, equals)] = setting.value.substr(equals + 1);
            }
            script.options.push_back(std::move(setting));
        }
        for (const auto& [name, value] : command_line_defines_) {
            merged[name] = value;
        }
        definitions_ = std::move(merged);
        lexer_.set_definitions(&definitions_);
        return true;
    }

    // ---- events ----
    bool parse_events(Script& script) {
        while (true) {
            const Token& t = lexer_.peek();
            if (t.kind == TokenKind::kEnd) return true;
            if (t.kind == TokenKind::kOption) {
                return fail(t.line, "option '--" + t.text + "' after the first event: options come first");
            }
            Event event;
            if (!parse_event(event)) return false;
            script.events.push_back(std::move(event));
        }
    }

    // A time in seconds as written ("0", "0.100", ".1") → microseconds. Decimal digits are read exactly (packetdrill
    // multiplies a double by 1e6 and truncates, which can lose a microsecond); digits past the sixth are dropped.
    bool parse_time_value(Usecs& out) {
        const Token& t = lexer_.peek();
        if (t.kind != TokenKind::kInteger && t.kind != TokenKind::kFloat) return fail_at_next("a time");
        if (!t.text.empty() && t.text.front() == '-') return fail(t.line, "negative time: " + t.text);
        std::string_view text = t.text;
        std::size_t dot = text.find('.');
        std::string_view whole = text.substr(0, dot);
        std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
        auto seconds = whole.empty() ? std::optional<std::int64_t>{0} : decimal_value(whole);
        constexpr std::int64_t kMaxSeconds = 1'000'000'000;  // ~31 years: no script means more
        if (!seconds || *seconds > kMaxSeconds) return fail(t.line, "time out of range: " + t.text);
        Usecs usecs = *seconds * 1'000'000;
        Usecs scale = 100'000;
        for (std::size_t i = 0; i < fraction.size() && i < 6; ++i, scale /= 10) {
            usecs += (fraction[i] - '0') * scale;
        }
        out = usecs;
        lexer_.next();
        return true;
    }

    // event_time: "+T", "T", "*", "T~T", "+T~+T"; none before a command or a code block.
    bool parse_event_time(EventTime& time) {
        const Token& t = lexer_.peek();
        if (t.is('*')) {
            lexer_.next();
            time.kind = TimeKind::kAny;
            return true;
        }
        if (t.kind == TokenKind::kBackQuoted || t.kind == TokenKind::kCode) {
            time.kind = TimeKind::kNone;
            return true;
        }
        bool relative = t.is('+');
        if (!relative && t.kind != TokenKind::kInteger && t.kind != TokenKind::kFloat) {
            if (t.kind == TokenKind::kError) return fail(t.line, t.text);
            return fail(t.line, "expected an event time (\"0.100\", \"+0.1\", \"*\") at the start of an event, found " +
                                    describe(t));
        }
        if (relative) lexer_.next();
        time.kind = relative ? TimeKind::kRelative : TimeKind::kAbsolute;
        if (!parse_time_value(time.start)) return false;
        if (lexer_.peek().is('~')) {
            lexer_.next();
            // parser.y: time '~' time | '+' time '~' '+' time — both ends of a range have the same kind.
            bool end_relative = lexer_.peek().is('+');
            if (relative && !end_relative) {
                return fail_at_next("'+' before the end of a relative time range (\"+0.1~+0.2\")");
            }
            if (!relative && end_relative) {
                return fail(lexer_.peek().line, "an absolute time range takes an absolute end (\"0.1~0.2\")");
            }
            if (end_relative) lexer_.next();
            Usecs end = 0;
            if (!parse_time_value(end)) return false;
            time.end = end;
        }
        return true;
    }

    bool parse_event(Event& event) {
        event.line = lexer_.peek().line;
        if (!parse_event_time(event.time)) return false;
        const Token& t = lexer_.peek();
        if (t.is('<') || t.is('>')) {
            PacketEvent packet;
            if (!parse_packet(packet)) return false;
            event.body = std::move(packet);
        } else if (t.kind == TokenKind::kBackQuoted) {
            event.body = CommandEvent{lexer_.next().text};
        } else if (t.kind == TokenKind::kCode) {
            event.body = CodeEvent{lexer_.next().text};
        } else if (t.kind == TokenKind::kWord || t.kind == TokenKind::kEllipsis) {
            SyscallEvent call;
            if (!parse_syscall(call, event.time)) return false;
            event.body = std::move(call);
        } else {
            return fail_at_next("a packet ('<' or '>'), a system call, a `command` or a %{ code }% block");
        }
        // parser.y's semantic checks of an event's time.
        if (event.time.end && *event.time.end < event.time.start) return fail(event.line, "time range is backwards");
        const auto* packet = std::get_if<PacketEvent>(&event.body);
        bool outbound = packet != nullptr && packet->direction == Direction::kOutbound;
        if (event.time.kind == TimeKind::kAny && !outbound) {
            return fail(event.line, "event time <star> can only be used with outbound packets");
        }
        if (event.time.end && !outbound) {
            return fail(event.line, "event time range can only be used with outbound packets");
        }
        return true;
    }

    // ---- packets ----
    bool parse_packet(PacketEvent& packet) {
        Token direction = lexer_.next();
        const int line = direction.line;
        packet.direction = direction.is('<') ? Direction::kInbound : Direction::kOutbound;
        const Token& t = lexer_.peek();
        if (t.is_word("ipv4") || t.is_word("ipv6") || t.is_word("gre") || t.is_word("GREv0") || t.is_word("mpls")) {
            return fail(t.line, "unsupported: encapsulated packets ('" + t.text + "' before the packet)");
        }
        if (lexer_.peek().is('(') || lexer_.peek().is('[')) {
            if (!parse_ip_info(packet.ip)) return false;
        }
        if (packet.ip.ecn == EcnCodepoint::kEct01 && packet.direction != Direction::kOutbound) {
            return fail(line, "[ect01] can only be used with outbound packets");
        }
        if (lexer_.peek().is_word("udp")) return fail(lexer_.peek().line, "unsupported: udp packets");
        if (lexer_.peek().is_word("icmp")) {
            lexer_.next();
            IcmpSpec icmp;
            if (!parse_icmp(icmp)) return false;
            packet.body = std::move(icmp);
            return true;
        }
        TcpSpec tcp;
        if (!parse_tcp(tcp, packet.direction, line)) return false;
        packet.body = std::move(tcp);
        return true;
    }

    // opt_ip_info: "[" or "(" then ecn | "tos 0xNN" | "flowlabel 0xNNNNN" | "ttl N" | ecn-or-tos "," flowlabel.
    bool parse_ip_info(IpInfo& ip) {
        Token open = lexer_.next();
        const char close = open.is('[') ? ']' : ')';
        bool tos_spec = false;
        const Token& t = lexer_.peek();
        if (t.is_word("noecn") || t.is_word("ect0") || t.is_word("ect1") || t.is_word("ce") || t.is_word("ect01")) {
            ip.ecn = t.text == "noecn" ? EcnCodepoint::kNotEct
                     : t.text == "ect0" ? EcnCodepoint::kEct0
                     : t.text == "ect1" ? EcnCodepoint::kEct1
                     : t.text == "ce"   ? EcnCodepoint::kCe
                                        : EcnCodepoint::kEct01;
            lexer_.next();
            tos_spec = true;
        } else if (t.is_word("tos")) {
            lexer_.next();
            std::int64_t tos = 0;
            if (!parse_any_integer("a value after 'tos'", 0, 0xff, "tos out of range for 8 bits", tos)) return false;
            ip.tos = static_cast<std::uint8_t>(tos);
            tos_spec = true;
        } else if (t.is_word("ttl")) {
            lexer_.next();
            std::int64_t ttl = 0;
            if (!expect_integer(0, 0xff, "a value after 'ttl'", "ttl out of range for 8 bits", ttl)) return false;
            ip.ttl = static_cast<std::uint8_t>(ttl);
        } else if (!t.is_word("flowlabel")) {
            return fail_at_next("an IP field (ect0, ect1, ce, noecn, ect01, tos, flowlabel, ttl) after '" +
                                std::string(1, open.text[0]) + "'");
        }
        bool want_flowlabel = lexer_.peek().is_word("flowlabel");
        if (tos_spec && lexer_.peek().is(',')) {
            lexer_.next();
            if (!lexer_.peek().is_word("flowlabel")) return fail_at_next("'flowlabel' after ','");
            want_flowlabel = true;
        } else if (tos_spec || ip.ttl) {
            want_flowlabel = false;
        }
        if (want_flowlabel) {
            lexer_.next();
            std::int64_t label = 0;
            if (!parse_any_integer("a value after 'flowlabel'", 0, 0xfffff, "flowlabel out of range for 20 bits",
                                   label)) {
                return false;
            }
            ip.flow_label = static_cast<std::uint32_t>(label);
        }
        return expect_punct(close, std::string("'") + close + "' to close the IP fields");
    }

    // parser.y wants HEX_INTEGER after tos and flowlabel; a decimal value is accepted too.
    bool parse_any_integer(const std::string& what, std::int64_t min, std::int64_t max, const std::string& range,
                           std::int64_t& out) {
        const Token& t = lexer_.peek();
        if (t.kind == TokenKind::kHexInteger) {
            auto value = hex_value(t.text);
            if (!value || *value > static_cast<std::uint64_t>(max)) return fail(t.line, range + ": " + t.text);
            out = static_cast<std::int64_t>(*value);
            lexer_.next();
            return true;
        }
        return expect_integer(min, max, what, range, out);
    }

    // tcp_packet_spec after the direction and the IP fields:
    //   [sport>dport] flags start:end(len) [ack N] [win N] [urg N] [<options>]
    // The ports are parser.y's opt_port_info (INTEGER '>' INTEGER), written before the flags, as in
    // "< 8081>8080 S 0:0(0) win 1000"; blanks around the '>' are allowed since they are separate tokens.
    bool parse_tcp(TcpSpec& tcp, Direction direction, int line) {
        if (lexer_.peek().kind == TokenKind::kInteger) {
            std::int64_t sport = 0;
            std::int64_t dport = 0;
            if (!expect_integer(0, 0xffff, "a source port", "src port out of range", sport)) return false;
            if (!expect_punct('>', "'>' between the source and destination ports (\"8081>8080\")")) return false;
            if (!expect_integer(0, 0xffff, "a destination port after '>'", "dst port out of range", dport)) {
                return false;
            }
            tcp.ports = std::make_pair(static_cast<std::uint16_t>(sport), static_cast<std::uint16_t>(dport));
        }
        // The flags word is read raw: packetdrill's lexer cuts "S." into WORD '.', and "S.1" (AccECN's ACE
        // counter) into WORD FLOAT; here it is the run of characters up to the next blank.
        {
            const Token& t = lexer_.peek();
            if (t.kind == TokenKind::kEnd || t.kind == TokenKind::kError || t.is('<')) {
                return fail_at_next("TCP flags (\"S\", \"S.\", \".\", \"P.\", \"F.\", \"R\", \"-\")");
            }
        }
        RawText flags = lexer_.raw_word();
        if (!check_flags(flags)) return false;
        tcp.flags = flags.text;

        // seq: INTEGER ':' INTEGER '(' INTEGER ')'
        const std::string seq_form = "sequence numbers \"start:end(length)\" after the flags";
        std::int64_t start = 0;
        std::int64_t end = 0;
        std::int64_t length = 0;
        const int seq_line = lexer_.peek().line;
        if (!expect_integer(0, 0xffffffff, seq_form, "TCP start sequence number out of range", start) ||
            !expect_punct(':', "':' in " + seq_form) ||
            !expect_integer(0, 0xffffffff, "the end sequence number in " + seq_form,
                            "TCP end sequence number out of range", end) ||
            !expect_punct('(', "'(' and the payload length in " + seq_form) ||
            !expect_integer(0, 0xffff, "the payload length in " + seq_form, "TCP payload size out of range",
                            length) ||
            !expect_punct(')', "')' after the payload length")) {
            return false;
        }
        if (end != start + length) return fail(seq_line, "inconsistent TCP sequence numbers and payload size");
        tcp.start_seq = static_cast<std::uint32_t>(start);
        tcp.end_seq = static_cast<std::uint32_t>(end);
        tcp.payload_length = static_cast<std::uint32_t>(length);

        if (lexer_.peek().is_word("ack")) {
            lexer_.next();
            std::uint32_t ack = 0;
            if (!expect_u32("ack value after 'ack'", "TCP ack sequence number out of range", ack)) return false;
            tcp.ack = ack;
        }
        if (lexer_.peek().is_word("win")) {
            lexer_.next();
            std::int64_t win = 0;
            if (!expect_integer(0, 0xffff, "window value after 'win'", "TCP window value out of range", win)) {
                return false;
            }
            tcp.window = static_cast<std::uint32_t>(win);
        }
        if (lexer_.peek().is_word("urg")) {
            lexer_.next();
            std::int64_t urg = 0;
            if (!expect_integer(0, 0xffff, "urgent pointer after 'urg'", "urg_ptr value out of range", urg)) {
                return false;
            }
            tcp.urgent = static_cast<std::uint16_t>(urg);
        }
        if (lexer_.peek().is('<')) {
            if (!parse_tcp_options(tcp, direction)) return false;
        }
        // tcp_packet.c new_tcp_packet()
        if (!tcp.window && direction == Direction::kInbound) {
            return fail(line, "window must be specified for inbound packets");
        }
        std::size_t option_bytes = 0;
        for (const auto& option : tcp.options) option_bytes += option_length(option);
        if (option_bytes % 4 != 0) {
            return fail(line, "TCP options are not padded correctly to ensure TCP header is a multiple of 4 bytes: " +
                                  std::to_string(option_bytes % 4) + " excess bytes");
        }
        return true;
    }

    // tcp_packet.c is_tcp_flags_spec_valid(): the characters of ".FSRPEWAU01234567"; one ACE digit (0-7), never
    // beside E, W or A. "-" alone means no flag.
    bool check_flags(const RawText& flags) {
        if (flags.text == "-") return true;
        if (flags.text.empty()) return fail(flags.line, "expected TCP flags");
        static constexpr std::string_view kValid = ".FSRPEWAU01234567";
        bool ecn = false;
        bool ace = false;
        for (char c : flags.text) {
            if (kValid.find(c) == std::string_view::npos) {
                return fail(flags.line, std::string("Invalid TCP flag: '") + c + "' in '" + flags.text + "'");
            }
            bool is_ecn = c == 'E' || c == 'W' || c == 'A';
            bool is_ace = c >= '0' && c <= '7';
            if ((is_ecn && ace) || (is_ace && (ecn || ace))) {
                return fail(flags.line, std::string("Conflicting TCP flag: '") + c + "' in '" + flags.text + "'");
            }
            ecn = ecn || is_ecn;
            ace = ace || is_ace;
        }
        return true;
    }

    // opt_tcp_options: '<' '...' '>' | '<' tcp_option { ',' tcp_option } '>'
    bool parse_tcp_options(TcpSpec& tcp, Direction direction) {
        Token open = lexer_.next();
        if (lexer_.peek().kind == TokenKind::kEllipsis) {
            lexer_.next();
            if (direction != Direction::kOutbound) {
                return fail(open.line, "<...> for TCP options can only be used with outbound packets");
            }
            tcp.any_options = true;
            return expect_punct('>', "'>' after '<...'");
        }
        std::size_t bytes = 0;
        while (true) {
            TcpOptionSpec option;
            const int line = lexer_.peek().line;
            if (!parse_tcp_option(option)) return false;
            bytes += option_length(option);
            if (bytes > kMaxTcpOptionBytes) return fail(line, "TCP option list too long");
            tcp.options.push_back(std::move(option));
            if (lexer_.peek().is(',')) {
                lexer_.next();
                continue;
            }
            return expect_punct('>', "',' or '>' after a TCP option");
        }
    }

    bool parse_tcp_option(TcpOptionSpec& option) {
        const Token& t = lexer_.peek();
        if (t.kind != TokenKind::kWord) {
            return fail_at_next("a TCP option (mss, wscale, sackOK, sack, TS, nop, eol, FO, FOEXP, md5)");
        }
        Token word = lexer_.next();
        using Kind = TcpOptionSpec::Kind;
        if (word.text == "nop") {
            option.kind = Kind::kNop;
        } else if (word.text == "eol") {
            option.kind = Kind::kEol;
        } else if (word.text == "mss") {
            option.kind = Kind::kMss;
            std::int64_t v = 0;
            if (!expect_integer(0, 0xffff, "mss value after 'mss'", "mss value out of range", v)) return false;
            option.value = static_cast<std::uint32_t>(v);
        } else if (word.text == "wscale") {
            option.kind = Kind::kWscale;
            if (lexer_.peek().is('*')) return fail(lexer_.peek().line, "unsupported: 'wscale *' (any shift count)");
            std::int64_t v = 0;
            if (!expect_integer(0, 0xff, "shift count after 'wscale'", "window scale shift count out of range", v)) {
                return false;
            }
            option.value = static_cast<std::uint32_t>(v);
        } else if (word.text == "sackOK") {
            option.kind = Kind::kSackOk;
        } else if (word.text == "sack") {
            option.kind = Kind::kSack;
            if (lexer_.peek().kind != TokenKind::kInteger) return fail_at_next("SACK blocks \"left:right\" after 'sack'");
            while (lexer_.peek().kind == TokenKind::kInteger) {
                std::uint32_t left = 0;
                std::uint32_t right = 0;
                if (!expect_u32("a SACK block", "TCP SACK left sequence number out of range", left) ||
                    !expect_punct(':', "':' in the SACK block \"left:right\"") ||
                    !expect_u32("the right edge of the SACK block", "TCP SACK right sequence number out of range",
                                right)) {
                    return false;
                }
                option.blocks.emplace_back(left, right);
                if (option.blocks.size() > 4) return fail(word.line, "TCP option list too long");
            }
        } else if (word.text == "TS") {
            option.kind = Kind::kTimestamp;
            if (!lexer_.peek().is_word("val")) return fail_at_next("'val' after 'TS'");
            lexer_.next();
            if (!expect_u32("the TS value after 'val'", "ts val out of range", option.value)) return false;
            if (!lexer_.peek().is_word("ecr")) return fail_at_next("'ecr' after the TS value");
            lexer_.next();
            if (!expect_u32("the TS echo reply after 'ecr'", "ecr val out of range", option.echo)) return false;
        } else if (word.text == "FO" || word.text == "FOEXP") {
            // RFC 7413's option 34 ("FO"), or the experimental option 254 with magic 0xF989 ("FOEXP"), which has
            // no kind of its own in TcpOptionSpec and is kept as the generic option it is on the wire.
            bool experimental = word.text == "FOEXP";
            std::string cookie;
            if (lexer_.peek().kind == TokenKind::kWord || lexer_.peek().kind == TokenKind::kInteger) {
                cookie = lexer_.next().text;
            }
            if (cookie.size() % 2 != 0) return fail(word.line, "TCP fast open cookie has an odd number of digits");
            auto bytes = hex_bytes(cookie);
            if (!bytes) return fail(word.line, "TCP fast open cookie '" + cookie + "' is not a valid hex string");
            const std::size_t max_bytes = experimental ? kMaxExpCookieBytes : kMaxCookieBytes;
            if (bytes->size() > max_bytes) {
                return fail(word.line, "TCP fast open cookie of " + std::to_string(bytes->size()) +
                                           " bytes exceeds maximum cookie length of " + std::to_string(max_bytes) +
                                           " bytes");
            }
            if (experimental) {
                option.kind = Kind::kGeneric;
                option.generic_kind = 254;
                option.bytes = {0xf9, 0x89};
                option.bytes.insert(option.bytes.end(), bytes->begin(), bytes->end());
            } else {
                option.kind = Kind::kFastOpen;
                option.bytes = std::move(*bytes);
            }
        } else if (word.text == "md5") {
            option.kind = Kind::kMd5;
            const Token& d = lexer_.peek();
            if (d.kind != TokenKind::kWord && d.kind != TokenKind::kInteger) {
                return fail_at_next("the MD5 digest (hex) after 'md5'");
            }
            std::string digest = lexer_.next().text;
            if (digest.size() / 2 > kMaxMd5DigestBytes) return fail(word.line, "TCP MD5 digest longer than 16 bytes");
            auto bytes = hex_bytes(digest);
            if (!bytes) return fail(word.line, "TCP MD5 digest is not a valid hex string");
            option.bytes = std::move(*bytes);
        } else {
            return fail(word.line, "unknown TCP option '" + word.text + "'");
        }
        return true;
    }

    // icmp_packet_spec after "icmp": type [code] [mtu N] [id N] ['[' start:end(len) ']']
    bool parse_icmp(IcmpSpec& icmp) {
        if (lexer_.peek().kind != TokenKind::kWord) return fail_at_next("an ICMP type after 'icmp'");
        icmp.type = lexer_.next().text;
        const Token& code = lexer_.peek();
        if (code.kind == TokenKind::kWord && !Lexer::is_keyword(code.text)) icmp.code = lexer_.next().text;
        if (lexer_.peek().is_word("mtu")) {
            lexer_.next();
            std::uint32_t mtu = 0;
            if (!expect_u32("the MTU after 'mtu'", "ICMP mtu out of range", mtu)) return false;
            icmp.mtu = mtu;
        }
        if (lexer_.peek().is_word("id")) return fail(lexer_.peek().line, "unsupported: ICMP echo id");
        if (lexer_.peek().is('[')) {
            lexer_.next();
            const Token& t = lexer_.peek();
            if (t.is_word("udp") || t.is_word("raw")) {
                return fail(t.line, "unsupported: ICMP quoting a " + t.text + " datagram");
            }
            const std::string form = "the quoted TCP segment \"[start:end(length)]\"";
            std::int64_t start = 0;
            std::int64_t end = 0;
            std::int64_t length = 0;
            const int line = t.line;
            if (!expect_integer(0, 0xffffffff, form, "TCP start sequence number out of range", start) ||
                !expect_punct(':', "':' in " + form) ||
                !expect_integer(0, 0xffffffff, "the end sequence number in " + form,
                                "TCP end sequence number out of range", end) ||
                !expect_punct('(', "'(' in " + form) ||
                !expect_integer(0, 0xffff, "the payload length in " + form, "TCP payload size out of range",
                                length) ||
                !expect_punct(')', "')' after the payload length") || !expect_punct(']', "']' after " + form)) {
                return false;
            }
            if (end != start + length) return fail(line, "inconsistent TCP sequence numbers and payload size");
            icmp.quoted_seq = std::make_pair(static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end));
            icmp.quoted_length = static_cast<std::uint32_t>(length);
        }
        return true;
    }

    // ---- system calls: [...END] name(args) = result [ERRNO] [(note)] ----
    bool parse_syscall(SyscallEvent& call, const EventTime& time) {
        if (lexer_.peek().kind == TokenKind::kEllipsis) {
            const int line = lexer_.next().line;
            if (time.kind != TimeKind::kAbsolute && time.kind != TimeKind::kRelative) {
                return fail(line, "a blocking call \"T...E\" needs a start time");
            }
            EventTime end;
            end.kind = time.kind;  // measured from the same base as the start (run_system_call.c)
            if (lexer_.peek().is('+')) {
                return fail(lexer_.peek().line, "the end of a blocking call is written without '+' (\"+0...0.1\")");
            }
            if (!parse_time_value(end.start)) return false;
            call.end = end;
        }
        if (lexer_.peek().kind != TokenKind::kWord) return fail_at_next("a system call name");
        Token name = lexer_.next();
        call.name = name.text;
        if (!expect_punct('(', "'(' after the system call name '" + call.name + "'")) return false;
        if (!parse_expr_list(')', call.args, 0)) return false;
        if (!lexer_.peek().is('=')) return fail_at_next("'=' and the expected result after " + call.name + "(...)");
        lexer_.next();
        if (!parse_expr(call.result, 0)) return false;
        // The errno and the note are on the line where the result ends: a word on the next line starts the next
        // event (a time-less command cannot be a word, so nothing valid is lost; packetdrill's grammar would take
        // "close" of a next line "close(4) = 0" as an errno and fail further on).
        const int result_line = lexer_.last_line();
        if (lexer_.peek().kind == TokenKind::kWord && lexer_.peek().line == result_line) {
            call.errno_name = lexer_.next().text;
        }
        if (lexer_.peek().is('(') && lexer_.peek().line == result_line) {
            const int line = lexer_.next().line;
            auto note = lexer_.raw_parenthesised();
            if (!note) return fail(line, "expected ')' to close the note after the result");
            call.errno_note = note->text;
        }
        return true;
    }

    // ---- expressions ----
    // Items up to `close` (consumed), separated by ','; "name=value" members only when `fields` is given.
    bool parse_expr_list(char close, std::vector<Expr>& items, int depth, std::vector<std::string>* fields = nullptr) {
        if (lexer_.peek().is(close)) {
            lexer_.next();
            return true;
        }
        while (true) {
            Expr item;
            if (!parse_expr(item, depth)) return false;
            std::string field;
            if (lexer_.peek().is('=')) {
                const int line = lexer_.peek().line;
                if (fields == nullptr) return fail(line, "'=' outside { }: a member \"name=value\" belongs in a struct");
                if (item.kind != Expr::Kind::kName && item.kind != Expr::Kind::kCall) {
                    return fail(line, "expected a member name before '=', found " + expr_to_text(item));
                }
                // "msg_iov(1)=[...]" and "msg_name(...)=..." keep their parenthesised part in the member's name.
                field = expr_to_text(item);
                lexer_.next();
                item = Expr{};
                if (!parse_expr(item, depth)) return false;
            }
            items.push_back(std::move(item));
            if (fields != nullptr) fields->push_back(std::move(field));
            if (lexer_.peek().is(',')) {
                lexer_.next();
                continue;
            }
            return expect_punct(close, std::string("',' or '") + close + "'");
        }
    }

    // expression { '|' expression } — an OR of two or more terms is one kOr with every term.
    bool parse_expr(Expr& out, int depth) {
        Expr first;
        if (!parse_primary(first, depth)) return false;
        if (!lexer_.peek().is('|')) {
            out = std::move(first);
            return true;
        }
        out = Expr{};
        out.kind = Expr::Kind::kOr;
        out.items.push_back(std::move(first));
        while (lexer_.peek().is('|')) {
            lexer_.next();
            Expr term;
            if (!parse_primary(term, depth)) return false;
            out.items.push_back(std::move(term));
        }
        return true;
    }

    bool parse_primary(Expr& out, int depth) {
        const Token& t = lexer_.peek();
        if (depth >= kMaxExprDepth) return fail(t.line, "expression nested too deeply");
        switch (t.kind) {
            case TokenKind::kEllipsis:
                lexer_.next();
                out.kind = Expr::Kind::kEllipsis;
                return true;
            case TokenKind::kInteger: {
                auto value = decimal_value(t.text);
                if (!value) return fail(t.line, "integer out of range: " + t.text);
                out.kind = Expr::Kind::kInteger;
                out.integer = *value;
                lexer_.next();
                return true;
            }
            case TokenKind::kHexInteger: {
                auto value = hex_value(t.text);
                if (!value) return fail(t.line, "integer out of range: " + t.text);
                out.kind = Expr::Kind::kInteger;
                out.integer = static_cast<std::int64_t>(*value);
                lexer_.next();
                return true;
            }
            case TokenKind::kString: {
                // string_sequence: adjacent strings concatenate.
                out.kind = Expr::Kind::kString;
                while (lexer_.peek().kind == TokenKind::kString) out.text += lexer_.next().text;
                if (lexer_.peek().kind == TokenKind::kEllipsis) {
                    return fail(lexer_.peek().line, "unsupported: a string prefix \"...\"... (STRING ELLIPSIS)");
                }
                return true;
            }
            case TokenKind::kWord: {
                Token word = lexer_.next();
                if (lexer_.peek().is('(')) {
                    lexer_.next();
                    out.kind = Expr::Kind::kCall;
                    out.text = word.text;
                    return parse_expr_list(')', out.items, depth + 1);
                }
                out.kind = word.text == "NULL" ? Expr::Kind::kNull : Expr::Kind::kName;
                if (out.kind == Expr::Kind::kName) out.text = word.text;
                return true;
            }
            case TokenKind::kPunct:
                if (t.is('[')) {
                    lexer_.next();
                    out.kind = Expr::Kind::kList;
                    return parse_expr_list(']', out.items, depth + 1);
                }
                if (t.is('{')) {
                    lexer_.next();
                    out.kind = Expr::Kind::kStruct;
                    return parse_expr_list('}', out.items, depth + 1, &out.fields);
                }
                break;
            case TokenKind::kError: return fail(t.line, t.text);
            default: break;
        }
        return fail_at_next("an expression (a number, a name, a string, ..., [list], {struct})");
    }

    Lexer lexer_;
    std::string path_;
    const Definitions& command_line_defines_;
    Definitions definitions_;
    int failure_line_ = 0;
    std::string failure_;
};

}  // namespace

Result<Script, ParseFailure> parse_script(std::string_view text, std::string path, const Definitions& defines) {
    Parser parser(text, std::move(path), defines);
    return parser.run();
}

}  // namespace synack::drill
