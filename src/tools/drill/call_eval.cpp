#include "tools/drill/call_eval.hpp"

#include <charconv>
#include <cstring>

#include "api/abi.hpp"
#include "tools/drill/symbols.hpp"

namespace synack::drill {
namespace {

using Problem = Err<CallProblem>;

Problem error(std::string message) { return Err{CallProblem{false, std::move(message)}}; }
Problem unsupported(std::string message) { return Err{CallProblem{true, std::move(message)}}; }

bool is_ellipsis(const Expr& e) { return e.kind == Expr::Kind::kEllipsis; }

// "[4]" or "4": the integer inside a one-element list, as packetdrill writes int pointers.
const Expr* list_element(const Expr& e) {
    if (e.kind == Expr::Kind::kList && e.items.size() == 1) return &e.items[0];
    return nullptr;
}

std::optional<std::int64_t> parse_definition(const std::string& text) {
    std::int64_t v = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        begin += 2;
        base = 16;
    }
    const auto [p, ec] = std::from_chars(begin, end, v, base);
    if (ec != std::errc{} || p != end) return std::nullopt;
    return v;
}

std::vector<std::uint8_t> int_bytes(std::int64_t v) {
    const auto i = static_cast<std::int32_t>(v);
    std::vector<std::uint8_t> out(sizeof i);
    std::memcpy(out.data(), &i, sizeof i);  // host order, as the system call takes an int
    return out;
}

const Expr* struct_field(const Expr& e, std::string_view name) {
    for (std::size_t i = 0; i < e.items.size() && i < e.fields.size(); ++i) {
        if (e.fields[i] == name) return &e.items[i];
    }
    return nullptr;
}

// The address a `...` stands for: the local address and bind port for bind(), the remote one for connect()
// and sendto() (run_system_call.c ellipsis_to_sockaddr). AF_INET6 sockets of ipv4-mapped-ipv6 use ::ffff:a.b.c.d,
// which api::SockAddr::v6 gives for an IPv4 wire::IpAddress.
api::SockAddr default_address(const CallContext& c, bool local) {
    const wire::IpAddress& ip = local ? c.network.local_ip : c.network.remote_ip;
    const std::uint16_t port = local ? c.options.bind_port : c.options.connect_port;
    if (c.network.ip_version == IpVersion::kIpv4) return api::SockAddr::v4(ip.v4(), port);
    return api::SockAddr::v6(ip, port);
}

// An address argument: `...`, or {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("198.18.0.1")}
// (sin6_* and inet_pton for IPv6).
Result<api::SockAddr, CallProblem> address_argument(const Expr& e, const CallContext& c, bool local) {
    if (is_ellipsis(e)) return default_address(c, local);
    if (e.kind != Expr::Kind::kStruct) return unsupported("address argument must be ... or a sockaddr struct");
    api::SockAddr a;
    for (std::size_t i = 0; i < e.items.size() && i < e.fields.size(); ++i) {
        const std::string& f = e.fields[i];
        const Expr& v = e.items[i];
        if (f == "sa_family" || f == "sin_family" || f == "sin6_family") {
            auto family = evaluate_integer(v, c.options);
            if (!family) return Err{family.error()};
            a.family = static_cast<int>(*family);
        } else if (f == "sin_port" || f == "sin6_port") {
            auto port = evaluate_integer(v, c.options);
            if (!port) return Err{port.error()};
            a.port = static_cast<std::uint16_t>(*port);
        } else if (f == "sin_addr" || f == "sin6_addr") {
            const Expr* text = &v;
            if (v.kind == Expr::Kind::kCall && !v.items.empty()) text = &v.items.back();
            if (text->kind != Expr::Kind::kString) return unsupported("address must be inet_addr(\"...\")");
            const auto ip = wire::IpAddress::parse(text->text);
            if (!ip) return error("bad address \"" + text->text + "\"");
            a.address = *ip;
        } else {
            return unsupported("sockaddr field '" + f + "'");
        }
    }
    return a;
}

// setsockopt's value: [int], int, {l_onoff=, l_linger=} (struct linger), "string".
Result<std::vector<std::uint8_t>, CallProblem> option_bytes(const Expr& e, const DrillOptions& o) {
    if (const Expr* inner = list_element(e)) return option_bytes(*inner, o);
    if (e.kind == Expr::Kind::kString) return std::vector<std::uint8_t>(e.text.begin(), e.text.end());
    if (e.kind == Expr::Kind::kStruct) {
        const Expr* onoff = struct_field(e, "l_onoff");
        if (onoff == nullptr) onoff = struct_field(e, "onoff");
        const Expr* linger = struct_field(e, "l_linger");
        if (linger == nullptr) linger = struct_field(e, "linger");
        if (onoff == nullptr || linger == nullptr || e.items.size() != 2) {
            return unsupported("option struct other than struct linger");
        }
        auto a = evaluate_integer(*onoff, o);
        if (!a) return Err{a.error()};
        auto b = evaluate_integer(*linger, o);
        if (!b) return Err{b.error()};
        std::vector<std::uint8_t> out = int_bytes(*a);
        const std::vector<std::uint8_t> second = int_bytes(*b);
        out.insert(out.end(), second.begin(), second.end());
        return out;
    }
    auto v = evaluate_integer(e, o);
    if (!v) return Err{v.error()};
    return int_bytes(*v);
}

std::size_t arity_of(std::string_view name) {
    struct A {
        std::string_view name;
        std::size_t args;
    };
    static constexpr A kArity[] = {
        {"socket", 3},   {"bind", 3},     {"listen", 2},     {"accept", 3},     {"accept4", 4},
        {"connect", 3},  {"read", 3},     {"recv", 4},       {"recvfrom", 6},   {"readv", 3},
        {"write", 3},    {"send", 4},     {"sendto", 6},     {"writev", 3},     {"close", 1},
        {"shutdown", 2}, {"setsockopt", 5}, {"getsockopt", 5}, {"poll", 3},     {"ioctl", 3},
    };
    for (const A& a : kArity) {
        if (a.name == name) return a.args;
    }
    return 0;
}

// The size of the value a getsockopt() line expects: a string (TCP_CONGESTION: TCP_CA_NAME_MAX), a struct
// linger, or an int.
int expected_size(const Expr& value) {
    const Expr* inner = list_element(value);
    const Expr& v = inner != nullptr ? *inner : value;
    if (v.kind == Expr::Kind::kString) return 16;
    if (v.kind == Expr::Kind::kStruct) return 8;
    return 4;
}

Result<int, CallProblem> int_arg(const SyscallEvent& e, std::size_t i, const CallContext& c) {
    auto v = evaluate_integer(e.args[i], c.options);
    if (!v) return Err{v.error()};
    return static_cast<int>(*v);
}

// readv/writev's iovec list: [{..., 1000}, {..., 500}] (or {iov_base=..., iov_len=1000}).
Result<std::vector<std::size_t>, CallProblem> iovec_lengths(const Expr& e, const CallContext& c) {
    if (e.kind != Expr::Kind::kList) return unsupported("iovec argument must be a list");
    std::vector<std::size_t> lengths;
    for (const Expr& iov : e.items) {
        if (iov.kind != Expr::Kind::kStruct || iov.items.size() != 2) return unsupported("iovec must be {base, len}");
        auto len = evaluate_integer(iov.items[1], c.options);
        if (!len) return Err{len.error()};
        if (*len < 0) return error("negative iov_len");
        lengths.push_back(static_cast<std::size_t>(*len));
    }
    return lengths;
}

Result<std::vector<api::PollFd>, CallProblem> poll_fds(const Expr& e, const CallContext& c) {
    if (e.kind != Expr::Kind::kList) return unsupported("poll's first argument must be a list of pollfd");
    std::vector<api::PollFd> fds;
    for (const Expr& p : e.items) {
        if (p.kind != Expr::Kind::kStruct) return unsupported("pollfd must be {fd=..., events=..., revents=...}");
        api::PollFd pfd;
        const Expr* fd = struct_field(p, "fd");
        const Expr* events = struct_field(p, "events");
        if (fd == nullptr || events == nullptr) return error("pollfd needs fd and events");
        auto f = evaluate_integer(*fd, c.options);
        if (!f) return Err{f.error()};
        auto ev = evaluate_integer(*events, c.options);
        if (!ev) return Err{ev.error()};
        pfd.fd = static_cast<int>(*f);
        pfd.events = static_cast<std::int16_t>(*ev);
        fds.push_back(pfd);
    }
    return fds;
}

Result<std::size_t, CallProblem> length_arg(const SyscallEvent& e, std::size_t i, const CallContext& c) {
    auto v = evaluate_integer(e.args[i], c.options);
    if (!v) return Err{v.error()};
    if (*v < 0 || *v > (64 << 20)) return error("buffer length out of range: " + std::to_string(*v));
    return static_cast<std::size_t>(*v);
}

}  // namespace

Result<std::int64_t, CallProblem> evaluate_integer(const Expr& e, const DrillOptions& o) {
    switch (e.kind) {
    case Expr::Kind::kInteger:
        return e.integer;
    case Expr::Kind::kName: {
        if (const auto d = o.defines.find(e.text); d != o.defines.end()) {
            if (const auto v = parse_definition(d->second)) return *v;
            return error("definition " + e.text + "=" + d->second + " is not a number");
        }
        if (const auto v = symbol_value(e.text)) return *v;
        // An errno name as a value (getsockopt(SO_ERROR) = [ECONNREFUSED]).
        if (const auto n = errno_number(e.text)) return *n;
        return unsupported("unknown symbol " + e.text);
    }
    case Expr::Kind::kOr: {
        std::int64_t v = 0;
        for (const Expr& item : e.items) {
            auto part = evaluate_integer(item, o);
            if (!part) return part;
            v |= *part;
        }
        return v;
    }
    case Expr::Kind::kCall:
        // htons()/ntohs()/htonl(): drill keeps ports and numbers in host order end to end.
        if ((e.text == "htons" || e.text == "ntohs" || e.text == "htonl" || e.text == "ntohl") && e.items.size() == 1) {
            return evaluate_integer(e.items[0], o);
        }
        return unsupported("function " + e.text + "() in an integer argument");
    case Expr::Kind::kNull:
        return 0;
    case Expr::Kind::kList:
        if (e.items.size() == 1) return evaluate_integer(e.items[0], o);
        return error("expected an integer, got a list");
    default:
        return error("expected an integer");
    }
}

Result<Call, CallProblem> build_call(const SyscallEvent& e, const CallContext& c) {
    const std::size_t arity = arity_of(e.name);
    if (arity == 0 && e.name != "fcntl") return unsupported("system call " + e.name + "()");
    if (e.name == "fcntl" ? (e.args.size() < 2 || e.args.size() > 3) : e.args.size() != arity) {
        return error(e.name + "() takes " + (e.name == "fcntl" ? std::string("2 or 3") : std::to_string(arity)) +
                     " arguments, the script gives " + std::to_string(e.args.size()));
    }
    Call call;
    call.name = e.name;
    const std::string& n = e.name;
    if (n != "socket" && n != "poll") {
        auto fd = int_arg(e, 0, c);
        if (!fd) return Err{fd.error()};
        call.fd = *fd;
    }
    if (n == "socket") {
        call.op = CallOp::kSocket;
        if (is_ellipsis(e.args[0])) {
            call.domain = c.network.ipv6_sockets() ? api::abi::kAfInet6 : api::abi::kAfInet;
        } else {
            auto d = int_arg(e, 0, c);
            if (!d) return Err{d.error()};
            call.domain = *d;
        }
        auto t = int_arg(e, 1, c);
        if (!t) return Err{t.error()};
        auto p = int_arg(e, 2, c);
        if (!p) return Err{p.error()};
        call.type = *t;
        call.protocol = *p;
    } else if (n == "bind" || n == "connect") {
        call.op = n == "bind" ? CallOp::kBind : CallOp::kConnect;
        auto a = address_argument(e.args[1], c, n == "bind");
        if (!a) return Err{a.error()};
        call.address = *a;
    } else if (n == "listen") {
        call.op = CallOp::kListen;
        auto b = int_arg(e, 1, c);
        if (!b) return Err{b.error()};
        call.backlog = *b;
    } else if (n == "accept" || n == "accept4") {
        call.op = CallOp::kAccept;
        if (n == "accept4") {
            auto f = int_arg(e, 3, c);
            if (!f) return Err{f.error()};
            call.flags = *f;
        }
    } else if (n == "read" || n == "write") {
        call.op = n == "read" ? CallOp::kRead : CallOp::kWrite;
        auto len = length_arg(e, 2, c);
        if (!len) return Err{len.error()};
        call.lengths = {*len};
    } else if (n == "recv" || n == "recvfrom" || n == "send" || n == "sendto") {
        call.op = n == "send" ? CallOp::kSend : n == "sendto" ? CallOp::kSendto : CallOp::kRecv;
        auto len = length_arg(e, 2, c);
        if (!len) return Err{len.error()};
        call.lengths = {*len};
        auto f = int_arg(e, 3, c);
        if (!f) return Err{f.error()};
        call.flags = *f;
        if (n == "sendto" && e.args[4].kind != Expr::Kind::kNull) {
            auto a = address_argument(e.args[4], c, false);
            if (!a) return Err{a.error()};
            call.address = *a;
        }
    } else if (n == "readv" || n == "writev") {
        call.op = n == "readv" ? CallOp::kReadv : CallOp::kWritev;
        auto lengths = iovec_lengths(e.args[1], c);
        if (!lengths) return Err{lengths.error()};
        call.lengths = *lengths;
    } else if (n == "close") {
        call.op = CallOp::kClose;
    } else if (n == "shutdown") {
        call.op = CallOp::kShutdown;
        auto how = int_arg(e, 1, c);
        if (!how) return Err{how.error()};
        call.how = *how;
    } else if (n == "setsockopt" || n == "getsockopt") {
        call.op = n == "setsockopt" ? CallOp::kSetsockopt : CallOp::kGetsockopt;
        auto level = int_arg(e, 1, c);
        if (!level) return Err{level.error()};
        auto option = int_arg(e, 2, c);
        if (!option) return Err{option.error()};
        call.level = *level;
        call.option = *option;
        std::optional<int> length;
        if (!is_ellipsis(e.args[4])) {
            auto l = int_arg(e, 4, c);
            if (!l) return Err{l.error()};
            length = *l;
        }
        if (call.op == CallOp::kSetsockopt) {
            auto bytes = option_bytes(e.args[3], c.options);
            if (!bytes) return Err{bytes.error()};
            call.option_value = *bytes;
            if (length) {
                if (*length < 0 || *length > 4096) return error("bad option length " + std::to_string(*length));
                call.option_value.resize(static_cast<std::size_t>(*length));
            }
        } else {
            // The optlen passed in: as written, or the size of what the script expects back.
            call.option_length = length.value_or(expected_size(e.args[3]));
            if (call.option_length < 0 || call.option_length > 4096) {
                return error("bad option length " + std::to_string(call.option_length));
            }
        }
    } else if (n == "fcntl") {
        call.op = CallOp::kFcntl;
        auto cmd = int_arg(e, 1, c);
        if (!cmd) return Err{cmd.error()};
        call.command = *cmd;
        if (e.args.size() == 3) {
            auto arg = int_arg(e, 2, c);
            if (!arg) return Err{arg.error()};
            call.argument = *arg;
        }
    } else if (n == "poll") {
        call.op = CallOp::kPoll;
        auto fds = poll_fds(e.args[0], c);
        if (!fds) return Err{fds.error()};
        call.poll_fds = *fds;
        auto timeout = int_arg(e, 2, c);
        if (!timeout) return Err{timeout.error()};
        call.timeout_ms = *timeout;
    } else if (n == "ioctl") {
        call.op = CallOp::kIoctl;
        auto request = int_arg(e, 1, c);
        if (!request) return Err{request.error()};
        call.request = static_cast<unsigned long>(*request);
        if (call.request == api::abi::kFionbio) {
            auto v = int_arg(e, 2, c);
            if (!v) return Err{v.error()};
            call.ioctl_value = *v;
        }
    }
    return call;
}

std::string outcome_text(const CallOutcome& o) {
    if (o.ret == -1 && o.error != 0) {
        return "-1 " + errno_name_of(o.error) + " (" + errno_message(o.error) + ")";
    }
    return std::to_string(o.ret);
}

std::optional<std::string> check_outcome(const SyscallEvent& e, const CallOutcome& o, const CallContext& c) {
    // The return value and errno (run_system_call.c: "Expected result N but got M ...").
    if (!is_ellipsis(e.result)) {
        auto expected = evaluate_integer(e.result, c.options);
        if (!expected) return "bad expected result: " + expected.error().message;
        if (o.ret != *expected) {
            std::string got = "Expected result " + std::to_string(*expected) + " but got " + std::to_string(o.ret);
            if (o.ret == -1) got += " with errno " + std::to_string(o.error) + " (" + errno_message(o.error) + ")";
            return got;
        }
        if (*expected == -1 && !e.errno_name.empty()) {
            const auto want = errno_number(e.errno_name);
            if (!want) return "unknown errno name " + e.errno_name;
            if (o.error != *want) {
                return "Expected errno " + std::to_string(*want) + " (" + errno_message(*want) + ") but got " +
                       std::to_string(o.error) + " (" + errno_message(o.error) + ")";
            }
        }
    }
    if (o.ret < 0) return std::nullopt;  // nothing was written back

    if (e.name == "getsockopt") {
        const Expr& value = e.args[3];
        if (!is_ellipsis(value)) {
            const Expr* inner = list_element(value);
            const Expr& v = inner != nullptr ? *inner : value;
            if (v.kind == Expr::Kind::kString) {
                const std::string got(o.option_value.begin(), o.option_value.end());
                const std::string trimmed = got.substr(0, got.find('\0'));
                if (trimmed != v.text) return "Bad getsockopt optval: expected: \"" + v.text + "\" actual: \"" + trimmed + "\"";
            } else if (v.kind == Expr::Kind::kStruct) {
                auto want = option_bytes(v, c.options);
                if (!want) return want.error().message;
                if (o.option_value != *want) return "Bad getsockopt optval: the struct differs";
            } else if (!is_ellipsis(v)) {
                auto want = evaluate_integer(v, c.options);
                if (!want) return want.error().message;
                std::int32_t got = 0;
                if (o.option_value.size() != sizeof got) {
                    return "Bad getsockopt optval: expected an int, got " + std::to_string(o.option_value.size()) +
                           " bytes";
                }
                std::memcpy(&got, o.option_value.data(), sizeof got);
                if (got != *want) {
                    return "Bad getsockopt optval: expected: " + std::to_string(*want) + " actual: " + std::to_string(got);
                }
            }
        }
        if (!is_ellipsis(e.args[4])) {
            auto want = evaluate_integer(e.args[4], c.options);
            if (!want) return want.error().message;
            if (o.option_length != *want) {
                return "Bad getsockopt optlen: expected: " + std::to_string(*want) +
                       " actual: " + std::to_string(o.option_length);
            }
        }
    } else if (e.name == "ioctl") {
        const Expr* inner = list_element(e.args[2]);
        auto request = evaluate_integer(e.args[1], c.options);
        if (inner != nullptr && request && static_cast<unsigned long>(*request) != api::abi::kFionbio) {
            auto want = evaluate_integer(*inner, c.options);
            if (!want) return want.error().message;
            if (o.ioctl_value != *want) {
                return "Bad ioctl value: expected: " + std::to_string(*want) + " actual: " + std::to_string(o.ioctl_value);
            }
        }
    } else if (e.name == "poll") {
        const Expr& list = e.args[0];
        for (std::size_t i = 0; i < list.items.size() && i < o.poll_fds.size(); ++i) {
            const Expr* revents = struct_field(list.items[i], "revents");
            if (revents == nullptr) continue;
            auto want = evaluate_integer(*revents, c.options);
            if (!want) return want.error().message;
            const auto got = static_cast<std::uint16_t>(o.poll_fds[i].revents);
            if (got != static_cast<std::uint16_t>(*want)) {
                return "poll: expected revents " + api::abi::poll_events_text(static_cast<std::uint32_t>(*want)) +
                       " for fd " + std::to_string(o.poll_fds[i].fd) + " but got " + api::abi::poll_events_text(got);
            }
        }
    }
    return std::nullopt;
}

}  // namespace synack::drill
