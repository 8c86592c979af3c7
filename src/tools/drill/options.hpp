// The settings of a drill run: packetdrill's command-line options, which a script may also set in its option
// lines ("--tolerance_usecs=10000" before the first event). The command line wins over the script, as in
// packetdrill (config.c parse_and_finalize_config). One table parses both, so both accept the same syntax.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tools/drill/network.hpp"
#include "tools/drill/script.hpp"
#include "wire/result.hpp"

namespace synack::drill {

struct DrillOptions {
    IpVersion ip_version = IpVersion::kIpv4;
    std::string local_ip;     // empty: the default for the IP version (network.hpp)
    std::string remote_ip;
    std::string gateway_ip;
    std::uint16_t bind_port = 8080;
    std::uint16_t connect_port = 8080;
    std::uint32_t mtu = 1500;             // packetdrill's TUN_DRIVER_DEFAULT_MTU
    std::uint32_t mss = 0;                // accepted for compatibility; see docs/drill.md
    Usecs tolerance_usecs = 4000;         // packetdrill's default: one jiffy at 250 Hz
    double tolerance_percent = 12.5;      // of the gap since the previous event (timer wheel granularity)
    Usecs tcp_ts_tick_usecs = 0;          // 0: outbound TS val not checked (packetdrill's default)
    bool tcp_ts_ecr_scaled = false;       // an inbound TS ecr no outbound TS val explains is extrapolated
    bool strict_segments = false;
    bool dry_run = false;
    bool verbose = false;
    std::map<std::string, std::string> defines;  // -D NAME=value
};

// Applies one option by its long name (without dashes); `value` is absent for a flag written without "=".
// "D"/"define" takes NAME=value, "v" is verbose. An error names the option and the problem.
Result<void, std::string> apply_option(DrillOptions& options, std::string_view name,
                                       std::optional<std::string_view> value);

// Whether the option takes a value (so "--name value" may be written as two arguments on the command line).
std::optional<bool> option_takes_value(std::string_view name);

// Options as written: name without dashes, value if any.
using OptionList = std::vector<std::pair<std::string, std::optional<std::string>>>;

// Defaults, then the script's own option lines, then the command line's on top (they win).
Result<DrillOptions, std::string> options_for_script(const Script& script, const OptionList& command_line);

// The network of the run: the options' addresses or the defaults for the IP version.
Result<NetworkSettings, std::string> network_settings(const DrillOptions& options);

}  // namespace synack::drill
