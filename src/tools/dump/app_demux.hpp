// From a TCP segment's ports to the application printer (tcpdump print-tcp.c, after ", length N"). synack prints
// HTTP (80, 8080) and RESP (6379); other ports end the line after the length. Adding one is a file and a row.
#pragma once

#include <cstdint>

#include "tools/dump/context.hpp"

namespace synack::dump {

// `payload` is what was captured of the data, `length` its length by the headers.
Flow print_tcp_application(Context& ctx, std::uint16_t sport, std::uint16_t dport, wire::Bytes payload,
                           std::uint32_t length);

Flow print_http(Context& ctx, wire::Bytes payload, std::uint32_t length);  // http.cpp
Flow print_resp(Context& ctx, wire::Bytes payload, std::uint32_t length);  // resp.cpp

}  // namespace synack::dump
