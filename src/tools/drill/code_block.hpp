// `%{ ... }%` blocks. packetdrill hands them to Python with the socket's TCP_INFO as variables; drill evaluates
// the plain assertion form the TCP tests use — `assert tcpi_X OP N[, message]`, one per line or joined with ';',
// OP one of == != < <= > >=, N an integer or a symbol such as TCP_CA_Loss — against the backend's TCP_INFO, and
// reports anything else as unsupported rather than guessing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tcp/tcp_info.hpp"
#include "tools/drill/options.hpp"
#include "wire/result.hpp"

namespace synack::drill {

struct Assertion {
    std::string field;  // "tcpi_snd_cwnd"
    std::string op;     // "=="
    std::int64_t value = 0;
    std::string text;   // the line as written
};

// Err: why the block is unsupported.
Result<std::vector<Assertion>, std::string> parse_code_block(std::string_view text, const DrillOptions& options);

// A field of struct tcp_info by its name; std::nullopt for a name Linux 6.18's struct does not have.
std::optional<std::uint64_t> tcp_info_field(const tcp::TcpInfo& info, std::string_view name);

// std::nullopt if every assertion holds; else the first that fails, with the actual value.
std::optional<std::string> check_assertions(const std::vector<Assertion>& assertions, const tcp::TcpInfo& info);

}  // namespace synack::drill
