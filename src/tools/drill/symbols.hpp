// The symbolic constants a script may name (SOL_SOCKET, TCP_CORK, POLLIN, TCP_CA_Loss, ...) with Linux's
// values on x86-64, as packetdrill's symbols_linux.c lists them: the socket facade's own (api::abi::constant)
// plus those only the kernel backend can act on, so a script naming them runs there and synack answers as
// it answers an option it lacks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace synack::drill {

std::optional<std::int64_t> symbol_value(std::string_view name) noexcept;

// Linux's errno number for "ECONNREFUSED" and back; messages as glibc's strerror() words them.
std::optional<int> errno_number(std::string_view name) noexcept;
std::string errno_name_of(int number);
std::string errno_message(int number);

}  // namespace synack::drill
