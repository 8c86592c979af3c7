// What a system call returns: its value, or -1 and an errno — the shape a script runner prints
// (`= 3`, `= -1 EINPROGRESS (Operation now in progress)`).
#pragma once

#include <cstdint>
#include <string>

#include "api/errno.hpp"

namespace synack::api {

struct [[nodiscard]] SysResult {
    std::int64_t value = 0;
    Errno error = Errno::kOk;

    static SysResult success(std::int64_t v = 0) noexcept { return SysResult{v, Errno::kOk}; }
    static SysResult failure(Errno e) noexcept { return SysResult{-1, e}; }

    bool ok() const noexcept { return error == Errno::kOk; }
    explicit operator bool() const noexcept { return ok(); }
    // "3", or "-1 EINPROGRESS (Operation now in progress)".
    std::string to_string() const;
    friend bool operator==(const SysResult&, const SysResult&) = default;
};

}  // namespace synack::api
