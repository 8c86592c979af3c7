// Runs one parsed script against one backend, the way packetdrill's run.c does: events in order, each at its
// scheduled time (absolute from the start, or relative to the previous event — chained inbound packets keep
// their scheduled base so errors do not accumulate); injected packets built by the codec; expected packets
// matched field by field and checked against their time with the tolerance max(tolerance_usecs,
// tolerance_percent of the gap since the previous event); blocking calls (`T...E`) left running while later
// events go on and checked when they return; commands mapped onto sysctls; %{ }% assertions evaluated on
// TCP_INFO. The first failure ends the script.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "tools/drill/backend.hpp"
#include "tools/drill/network.hpp"
#include "tools/drill/options.hpp"
#include "tools/drill/script.hpp"

namespace synack::drill {

struct ScriptResult {
    enum class Status : std::uint8_t { kPassed, kFailed, kSkipped };
    Status status = Status::kPassed;
    int line = 0;                      // the script line of the failure or of the unsupported part
    std::string message;
    std::vector<std::string> details;  // e.g. "script: <tcpdump line>", "actual: <tcpdump line>"
};

// Runs `script` on `backend` (start() to finish()). With `trace` (-v), every event is printed as it happens.
ScriptResult run_script(const Script& script, const DrillOptions& options, const NetworkSettings& network,
                        Backend& backend, std::FILE* trace);

}  // namespace synack::drill
