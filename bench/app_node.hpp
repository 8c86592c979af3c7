// A stack as a node of the simulated network with an application that runs after every packet and timer the node
// handles, with the node's time (as an event loop runs callbacks after reading its sockets). Shared by the
// benchmarks (bench_support.hpp) and the bulk-transfer driver the unit tests use too (bulk_support.hpp), which is
// why it stands alone: it needs no Google Benchmark.
#pragma once

#include <functional>
#include <optional>
#include <utility>

#include "runtime/sim_node.hpp"
#include "stack/stack.hpp"

namespace synack::bench {

class AppNode final : public runtime::SimNode {
public:
    AppNode(const runtime::NodeContext& context, const stack::StackConfig& config)
        : stack_(config, context.sink, context.seed) {}

    void receive(stack::InterfaceId interface, wire::Bytes packet, Instant now) override {
        stack_.receive(interface, packet, now);
        if (app_) app_(now);
    }
    void on_timer(Instant now) override {
        stack_.on_timer(now);
        if (app_) app_(now);
    }
    std::optional<Instant> next_deadline() const override { return stack_.next_deadline(); }

    stack::Stack& stack() noexcept { return stack_; }
    void set_app(std::function<void(Instant)> app) { app_ = std::move(app); }

private:
    stack::Stack stack_;
    std::function<void(Instant)> app_;
};

}  // namespace synack::bench
