// Counts heap allocations while an AllocationCounter is alive, to prove a steady-state path allocates nothing.
// Every test binary links tests/support/allocation_counter.cpp, which replaces the global operator new; outside a
// counter's lifetime the replacement only forwards to malloc.
#pragma once

namespace synack::test {

class AllocationCounter {
public:
    AllocationCounter() noexcept;   // starts counting from zero
    ~AllocationCounter();           // stops counting
    AllocationCounter(const AllocationCounter&) = delete;
    AllocationCounter& operator=(const AllocationCounter&) = delete;

    long count() const noexcept;    // allocations since construction
};

}  // namespace synack::test
