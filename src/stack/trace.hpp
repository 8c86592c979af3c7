// What a stack tells a trace sink: every state transition, every dropped packet with its reason, every timer
// that fires. With no sink set, the stack does not even build the events.
#pragma once

#include <cstdint>

#include "stack/handles.hpp"
#include "stack/packet_sink.hpp"
#include "tcp/drop_reason.hpp"
#include "tcp/flow.hpp"
#include "tcp/host.hpp"
#include "tcp/state.hpp"
#include "wire/instant.hpp"

namespace synack::stack {

class TraceSink {
public:
    virtual ~TraceSink() = default;
    // A connection (or request entry, or time-wait entry: `connection` is then empty) changed state.
    virtual void transition(Instant now, const tcp::FlowTuple& flow, ConnectionId connection, tcp::State from,
                            tcp::State to) = 0;
    // A packet was dropped. `flow` is null when no TCP header could be read.
    virtual void drop(Instant now, InterfaceId interface, tcp::DropReason reason, const tcp::FlowTuple* flow) = 0;
    virtual void timer(Instant now, const tcp::FlowTuple& flow, ConnectionId connection, tcp::TimerKind kind) = 0;
};

}  // namespace synack::stack
