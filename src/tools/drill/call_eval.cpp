#include "tools/drill/call_eval.hpp"

#include <cstring>
#include <string_view>

#include "api/abi.hpp"
#include "tools/drill/symbols.hpp"
#include "tools/drill/text.hpp"

namespace synack::drill {
namespace {

using Problem = Err<CallProblem>;
using Filled = Result<void, CallProblem>;

Problem error(std::string message) { return Err{CallProblem{false, std::move(message)}}; }
Problem unsupported(std::string message) { return Err{CallProblem{true, std::move(message)}}; }

bool is_ellipsis(const Expr& e) { return e.kind == Expr::Kind::kEllipsis; }

// "[4]": the one element of a list, as packetdrill writes a pointer to an int.
const Expr* list_element(const Expr& e) {
    if (e.kind == Expr::Kind::kList && e.items.size() == 1) return &e.items[0];
    return nullptr;
}
// The value itself, or the one element of "[value]".
const Expr& pointee(const Expr& e) {
    const Expr* inner = list_element(e);
    return inner != nullptr ? *inner : e;
}

const Expr* struct_field(const Expr& e, std::string_view name) {
    for (std::size_t i = 0; i < e.items.size() && i < e.fields.size(); ++i) {
        if (e.fields[i] == name) return &e.items[i];
    }
    return nullptr;
}

std::vector<std::uint8_t> int_bytes(std::int64_t v) {
    const auto i = static_cast<std::int32_t>(v);
    std::vector<std::uint8_t> out(sizeof i);
    std::memcpy(out.data(), &i, sizeof i);  // host order, as the system call takes an int
    return out;
}

// Evaluates `e` into `out` (an int of any width), or returns the problem.
template <typename T>
Filled integer_into(const Expr& e, const CallContext& c, T& out) {
    auto v = evaluate_integer(e, c.options);
    if (!v) return Err{v.error()};
    out = static_cast<T>(*v);
    return {};
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
            if (auto r = integer_into(v, c, a.family); !r) return Err{r.error()};
        } else if (f == "sin_port" || f == "sin6_port") {
            if (auto r = integer_into(v, c, a.port); !r) return Err{r.error()};
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
Result<std::vector<std::uint8_t>, CallProblem> option_bytes(const Expr& value, const DrillOptions& o) {
    const Expr& e = pointee(value);
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

// The size of the value a getsockopt() line expects: a string (TCP_CONGESTION: TCP_CA_NAME_MAX), a struct
// linger, or an int.
int expected_size(const Expr& value) {
    const Expr& v = pointee(value);
    if (v.kind == Expr::Kind::kString) return 16;
    if (v.kind == Expr::Kind::kStruct) return 8;
    return 4;
}

Filled length_into(const Expr& e, const CallContext& c, std::vector<std::size_t>& lengths) {
    auto v = evaluate_integer(e, c.options);
    if (!v) return Err{v.error()};
    if (*v < 0 || *v > (64 << 20)) return error("buffer length out of range: " + std::to_string(*v));
    lengths.push_back(static_cast<std::size_t>(*v));
    return {};
}

// ---- One filler per call family: the arguments after the fd (args[0]) into the Call ----

Filled fill_socket(const SyscallEvent& e, const CallContext& c, Call& call) {
    if (is_ellipsis(e.args[0])) {
        call.domain = c.network.ipv6_sockets() ? api::abi::kAfInet6 : api::abi::kAfInet;
    } else if (auto r = integer_into(e.args[0], c, call.domain); !r) {
        return r;
    }
    if (auto r = integer_into(e.args[1], c, call.type); !r) return r;
    return integer_into(e.args[2], c, call.protocol);
}

Filled fill_address(const SyscallEvent& e, const CallContext& c, Call& call) {
    auto a = address_argument(e.args[1], c, call.op == CallOp::kBind);
    if (!a) return Err{a.error()};
    call.address = *a;
    return {};
}

Filled fill_listen(const SyscallEvent& e, const CallContext& c, Call& call) {
    return integer_into(e.args[1], c, call.backlog);
}

Filled fill_accept(const SyscallEvent& e, const CallContext& c, Call& call) {
    if (e.args.size() == 4) return integer_into(e.args[3], c, call.flags);  // accept4
    return {};
}

// read/write(fd, ..., len); recv/send(fd, ..., len, flags); recvfrom/sendto(fd, ..., len, flags, addr, addrlen).
Filled fill_transfer(const SyscallEvent& e, const CallContext& c, Call& call) {
    if (auto r = length_into(e.args[2], c, call.lengths); !r) return r;
    if (e.args.size() == 3) return {};
    if (auto r = integer_into(e.args[3], c, call.flags); !r) return r;
    if (call.op == CallOp::kSendto && e.args[4].kind != Expr::Kind::kNull) {
        auto a = address_argument(e.args[4], c, false);
        if (!a) return Err{a.error()};
        call.address = *a;
    }
    return {};
}

// readv/writev(fd, [{..., 1000}, {iov_base=..., iov_len=500}], count).
Filled fill_vector(const SyscallEvent& e, const CallContext& c, Call& call) {
    const Expr& list = e.args[1];
    if (list.kind != Expr::Kind::kList) return unsupported("iovec argument must be a list");
    for (const Expr& iov : list.items) {
        if (iov.kind != Expr::Kind::kStruct || iov.items.size() != 2) return unsupported("iovec must be {base, len}");
        if (auto r = length_into(iov.items[1], c, call.lengths); !r) return r;
    }
    return {};
}

Filled fill_nothing(const SyscallEvent&, const CallContext&, Call&) { return {}; }

Filled fill_shutdown(const SyscallEvent& e, const CallContext& c, Call& call) {
    return integer_into(e.args[1], c, call.how);
}

// setsockopt(fd, level, name, value, len) and getsockopt(fd, level, name, expected value, [len]).
Filled fill_sockopt(const SyscallEvent& e, const CallContext& c, Call& call) {
    if (auto r = integer_into(e.args[1], c, call.level); !r) return r;
    if (auto r = integer_into(e.args[2], c, call.option); !r) return r;
    std::optional<int> length;
    if (!is_ellipsis(e.args[4])) {
        int l = 0;
        if (auto r = integer_into(e.args[4], c, l); !r) return r;
        if (l < 0 || l > 4096) return error("bad option length " + std::to_string(l));
        length = l;
    }
    if (call.op == CallOp::kGetsockopt) {
        // The optlen passed in: as written, or the size of what the script expects back.
        call.option_length = length.value_or(expected_size(e.args[3]));
        return {};
    }
    auto bytes = option_bytes(e.args[3], c.options);
    if (!bytes) return Err{bytes.error()};
    call.option_value = *bytes;
    if (length) call.option_value.resize(static_cast<std::size_t>(*length));
    return {};
}

Filled fill_fcntl(const SyscallEvent& e, const CallContext& c, Call& call) {
    if (auto r = integer_into(e.args[1], c, call.command); !r) return r;
    if (e.args.size() == 3) return integer_into(e.args[2], c, call.argument);
    return {};
}

// poll([{fd=4, events=POLLIN, revents=POLLIN}], nfds, timeout).
Filled fill_poll(const SyscallEvent& e, const CallContext& c, Call& call) {
    const Expr& list = e.args[0];
    if (list.kind != Expr::Kind::kList) return unsupported("poll's first argument must be a list of pollfd");
    for (const Expr& p : list.items) {
        if (p.kind != Expr::Kind::kStruct) return unsupported("pollfd must be {fd=..., events=..., revents=...}");
        const Expr* fd = struct_field(p, "fd");
        const Expr* events = struct_field(p, "events");
        if (fd == nullptr || events == nullptr) return error("pollfd needs fd and events");
        api::PollFd pfd;
        if (auto r = integer_into(*fd, c, pfd.fd); !r) return r;
        if (auto r = integer_into(*events, c, pfd.events); !r) return r;
        call.poll_fds.push_back(pfd);
    }
    return integer_into(e.args[2], c, call.timeout_ms);
}

// ioctl(fd, request, [value]): FIONBIO takes the value; SIOCINQ and the others write it back.
Filled fill_ioctl(const SyscallEvent& e, const CallContext& c, Call& call) {
    if (auto r = integer_into(e.args[1], c, call.request); !r) return r;
    if (call.request == api::abi::kFionbio) return integer_into(e.args[2], c, call.ioctl_value);
    return {};
}

struct CallSpec {
    std::string_view name;
    CallOp op;
    std::size_t min_args;
    std::size_t max_args;
    Filled (*fill)(const SyscallEvent&, const CallContext&, Call&);
};

constexpr CallSpec kCalls[] = {
    {"socket", CallOp::kSocket, 3, 3, fill_socket},         {"bind", CallOp::kBind, 3, 3, fill_address},
    {"listen", CallOp::kListen, 2, 2, fill_listen},         {"accept", CallOp::kAccept, 3, 3, fill_accept},
    {"accept4", CallOp::kAccept, 4, 4, fill_accept},        {"connect", CallOp::kConnect, 3, 3, fill_address},
    {"read", CallOp::kRead, 3, 3, fill_transfer},           {"recv", CallOp::kRecv, 4, 4, fill_transfer},
    {"recvfrom", CallOp::kRecv, 6, 6, fill_transfer},       {"readv", CallOp::kReadv, 3, 3, fill_vector},
    {"write", CallOp::kWrite, 3, 3, fill_transfer},         {"send", CallOp::kSend, 4, 4, fill_transfer},
    {"sendto", CallOp::kSendto, 6, 6, fill_transfer},       {"writev", CallOp::kWritev, 3, 3, fill_vector},
    {"close", CallOp::kClose, 1, 1, fill_nothing},          {"shutdown", CallOp::kShutdown, 2, 2, fill_shutdown},
    {"setsockopt", CallOp::kSetsockopt, 5, 5, fill_sockopt}, {"getsockopt", CallOp::kGetsockopt, 5, 5, fill_sockopt},
    {"fcntl", CallOp::kFcntl, 2, 3, fill_fcntl},            {"poll", CallOp::kPoll, 3, 3, fill_poll},
    {"ioctl", CallOp::kIoctl, 3, 3, fill_ioctl},
};

const CallSpec* spec_for(std::string_view name) {
    for (const CallSpec& s : kCalls) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

// ---- What a call writes back, against the line ----

std::optional<std::string> check_getsockopt(const SyscallEvent& e, const CallOutcome& o, const CallContext& c) {
    const Expr& v = pointee(e.args[3]);
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
            return "Bad getsockopt optval: expected an int, got " + std::to_string(o.option_value.size()) + " bytes";
        }
        std::memcpy(&got, o.option_value.data(), sizeof got);
        if (got != *want) {
            return "Bad getsockopt optval: expected: " + std::to_string(*want) + " actual: " + std::to_string(got);
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
    return std::nullopt;
}

std::optional<std::string> check_ioctl(const SyscallEvent& e, const CallOutcome& o, const CallContext& c) {
    const Expr* inner = list_element(e.args[2]);
    auto request = evaluate_integer(e.args[1], c.options);
    if (inner == nullptr || !request || static_cast<unsigned long>(*request) == api::abi::kFionbio) return std::nullopt;
    auto want = evaluate_integer(*inner, c.options);
    if (!want) return want.error().message;
    if (o.ioctl_value != *want) {
        return "Bad ioctl value: expected: " + std::to_string(*want) + " actual: " + std::to_string(o.ioctl_value);
    }
    return std::nullopt;
}

std::optional<std::string> check_poll(const SyscallEvent& e, const CallOutcome& o, const CallContext& c) {
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
    return std::nullopt;
}

}  // namespace

Result<std::int64_t, CallProblem> evaluate_integer(const Expr& e, const DrillOptions& o) {
    switch (e.kind) {
    case Expr::Kind::kInteger:
        return e.integer;
    case Expr::Kind::kName: {
        if (const auto d = o.defines.find(e.text); d != o.defines.end()) {
            if (const auto v = parse_integer(d->second)) return *v;
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
    const CallSpec* spec = spec_for(e.name);
    if (spec == nullptr) return unsupported("system call " + e.name + "()");
    if (e.args.size() < spec->min_args || e.args.size() > spec->max_args) {
        const std::string takes = spec->min_args == spec->max_args
                                      ? std::to_string(spec->min_args)
                                      : std::to_string(spec->min_args) + " or " + std::to_string(spec->max_args);
        return error(e.name + "() takes " + takes + " arguments, the script gives " + std::to_string(e.args.size()));
    }
    Call call;
    call.op = spec->op;
    call.name = e.name;
    if (spec->op != CallOp::kSocket && spec->op != CallOp::kPoll) {
        if (auto r = integer_into(e.args[0], c, call.fd); !r) return Err{r.error()};
    }
    if (auto r = spec->fill(e, c, call); !r) return Err{r.error()};
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
    const CallSpec* spec = spec_for(e.name);
    if (spec == nullptr) return std::nullopt;
    switch (spec->op) {
    case CallOp::kGetsockopt: return check_getsockopt(e, o, c);
    case CallOp::kIoctl: return check_ioctl(e, o, c);
    case CallOp::kPoll: return check_poll(e, o, c);
    default: return std::nullopt;
    }
}

}  // namespace synack::drill
