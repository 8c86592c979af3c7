// System calls between the script and a backend: a script's call line evaluated into a Call (the same Linux
// numbers for every backend, `...` filled with the script's defaults as packetdrill's run_system_call.c does),
// and the backend's answer checked against the line — the return value, the errno, and the values the call
// writes back (getsockopt's option, ioctl's int, poll's revents).
#pragma once

#include <optional>
#include <string>

#include "tools/drill/call.hpp"
#include "tools/drill/network.hpp"
#include "tools/drill/options.hpp"
#include "tools/drill/script.hpp"
#include "wire/result.hpp"

namespace synack::drill {

struct CallProblem {
    bool unsupported = false;  // a call or argument form drill does not implement: the script is skipped
    std::string message;
};

struct CallContext {
    const NetworkSettings& network;
    const DrillOptions& options;
};

Result<Call, CallProblem> build_call(const SyscallEvent& event, const CallContext& context);

// std::nullopt when the outcome is what the line expects; else why not, in packetdrill's words
// ("Expected result 0 but got -1 with errno 111 (Connection refused)").
std::optional<std::string> check_outcome(const SyscallEvent& event, const CallOutcome& outcome,
                                         const CallContext& context);

// "3", "-1 ECONNREFUSED (Connection refused)".
std::string outcome_text(const CallOutcome& outcome);

// The integer value of an expression (numbers, symbols, -D definitions, a|b, htons(n)).
Result<std::int64_t, CallProblem> evaluate_integer(const Expr& expr, const DrillOptions& options);

}  // namespace synack::drill
