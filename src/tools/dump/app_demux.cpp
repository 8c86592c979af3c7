#include "tools/dump/app_demux.hpp"

namespace synack::dump {
namespace {

struct Row {
    std::uint16_t port;
    Flow (*printer)(Context&, wire::Bytes, std::uint32_t);
};

// tcpdump print-tcp.c checks the source or destination port in this order.
constexpr Row kPrinters[] = {
    {6379, print_resp},  // REDIS_PORT
    {80, print_http},    // HTTP_PORT
    {8080, print_http},  // HTTP_PORT_ALT
};

}  // namespace

Flow print_tcp_application(Context& ctx, std::uint16_t sport, std::uint16_t dport, wire::Bytes payload,
                           std::uint32_t length) {
    for (const Row& row : kPrinters) {
        if (sport == row.port || dport == row.port) return row.printer(ctx, payload, length);
    }
    return Flow::Ok;
}

}  // namespace synack::dump
