#include "tools/drill/options.hpp"

#include <cstdlib>

#include "tools/drill/text.hpp"

namespace synack::drill {
namespace {


std::optional<double> parse_double(std::string_view text) {
    const std::string s(text);
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size()) return std::nullopt;
    return v;
}

Result<void, std::string> bad(std::string_view name, std::string_view value) {
    return Err{"bad --" + std::string(name) + ": " + std::string(value)};
}

struct OptionSpec {
    std::string_view name;
    bool takes_value;
};

// packetdrill's options (config.c) that drill implements; the others are refused by name.
constexpr OptionSpec kOptions[] = {
    {"ip_version", true},      {"local_ip", true},          {"remote_ip", true},        {"gateway_ip", true},
    {"bind_port", true},       {"connect_port", true},      {"mtu", true},              {"mss", true},
    {"tolerance_usecs", true}, {"tolerance_percent", true}, {"tcp_ts_tick_usecs", true}, {"tcp_ts_ecr_scaled", false}, {"strict_segments", false},
    {"dry_run", false},        {"verbose", false},          {"v", false},               {"define", true},
    {"D", true},
};

}  // namespace

std::optional<bool> option_takes_value(std::string_view name) {
    for (const OptionSpec& o : kOptions) {
        if (o.name == name) return o.takes_value;
    }
    return std::nullopt;
}

Result<void, std::string> apply_option(DrillOptions& options, std::string_view name,
                                       std::optional<std::string_view> value) {
    const std::optional<bool> takes = option_takes_value(name);
    if (!takes) return Err{"option '" + std::string(name) + "' unknown"};
    if (*takes && !value) return Err{"option '" + std::string(name) + "' requires an argument"};
    if (!*takes && value) return Err{"option '" + std::string(name) + "' forbids an argument"};
    const std::string_view v = value.value_or("");

    if (name == "ip_version") {
        if (v == "ipv4") options.ip_version = IpVersion::kIpv4;
        else if (v == "ipv6") options.ip_version = IpVersion::kIpv6;
        else if (v == "ipv4-mapped-ipv6") options.ip_version = IpVersion::kIpv4MappedIpv6;
        else return bad(name, v);
    } else if (name == "local_ip") {
        options.local_ip = v;
    } else if (name == "remote_ip") {
        options.remote_ip = v;
    } else if (name == "gateway_ip") {
        options.gateway_ip = v;
    } else if (name == "bind_port" || name == "connect_port") {
        const auto port = parse_integer(v);
        if (!port || *port <= 0 || *port > 0xffff) return bad(name, v);
        (name == "bind_port" ? options.bind_port : options.connect_port) = static_cast<std::uint16_t>(*port);
    } else if (name == "mtu") {
        const auto mtu = parse_integer(v);
        if (!mtu || *mtu < 576 || *mtu > 65535) return bad(name, v);  // IPv4's minimum datagram size
        options.mtu = static_cast<std::uint32_t>(*mtu);
    } else if (name == "mss") {
        const auto mss = parse_integer(v);
        if (!mss || *mss == 0 || *mss > 65535) return bad(name, v);
        options.mss = static_cast<std::uint32_t>(*mss);
    } else if (name == "tolerance_usecs") {
        const auto t = parse_integer(v);
        if (!t || *t <= 0) return bad(name, v);
        options.tolerance_usecs = *t;
    } else if (name == "tolerance_percent") {
        const auto p = parse_double(v);
        if (!p || *p < 0.0 || *p > 100.0) return bad(name, v);
        options.tolerance_percent = *p;
    } else if (name == "tcp_ts_tick_usecs") {
        const auto t = parse_integer(v);
        if (!t || *t < 0 || *t > 1000000) return bad(name, v);
        options.tcp_ts_tick_usecs = *t;
    } else if (name == "tcp_ts_ecr_scaled") {
        options.tcp_ts_ecr_scaled = true;
    } else if (name == "strict_segments") {
        options.strict_segments = true;
    } else if (name == "dry_run") {
        options.dry_run = true;
    } else if (name == "verbose" || name == "v") {
        options.verbose = true;
    } else {  // define, D
        const std::size_t eq = v.find('=');
        if (eq == std::string_view::npos || eq == 0) return Err{"bad definition: " + std::string(v)};
        options.defines[std::string(v.substr(0, eq))] = std::string(v.substr(eq + 1));
    }
    return {};
}

Result<DrillOptions, std::string> options_for_script(const Script& script, const OptionList& command_line) {
    DrillOptions options;
    for (const OptionSetting& o : script.options) {
        std::optional<std::string_view> value;
        if (!o.value.empty()) value = o.value;
        if (auto r = apply_option(options, o.name, value); !r) {
            return Err{script.path + ":" + std::to_string(o.line) + ": " + r.error()};
        }
    }
    for (const auto& [name, value] : command_line) {
        std::optional<std::string_view> v;
        if (value) v = *value;
        if (auto r = apply_option(options, name, v); !r) return Err{r.error()};
    }
    return options;
}

Result<NetworkSettings, std::string> network_settings(const DrillOptions& options) {
    NetworkSettings n;
    n.ip_version = options.ip_version;
    n.mtu = options.mtu;
    const bool v6 = options.ip_version == IpVersion::kIpv6;
    n.prefix_len = v6 ? 64 : 16;
    const auto address = [&](const std::string& given, std::string_view fallback, std::string_view what)
        -> Result<wire::IpAddress, std::string> {
        const std::string text = given.empty() ? std::string(fallback) : given;
        const auto a = wire::IpAddress::parse(text);
        if (!a || a->is_v4() == v6) {
            return Err{"bad --" + std::string(what) + ": " + text + (v6 ? " (expected IPv6)" : " (expected IPv4)")};
        }
        return *a;
    };
    auto local = address(options.local_ip, v6 ? "2001:2:0:1::1" : "198.18.0.1", "local_ip");
    if (!local) return Err{local.error()};
    auto remote = address(options.remote_ip, v6 ? "2001:2:0:2::1" : "198.19.0.1", "remote_ip");
    if (!remote) return Err{remote.error()};
    auto gateway = address(options.gateway_ip, v6 ? "2001:2:0:1::2" : "198.18.0.2", "gateway_ip");
    if (!gateway) return Err{gateway.error()};
    n.local_ip = *local;
    n.remote_ip = *remote;
    n.gateway_ip = *gateway;
    return n;
}

}  // namespace synack::drill
