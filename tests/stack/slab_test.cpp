// Slab<T>: objects stay where they were built while the slab grows, a freed slot is reused most recently freed
// first and hands back the tag its last owner left (the stack's handle generation), and only live slots count.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "stack/slab.hpp"

namespace synack::stack {
namespace {

struct Item {
    explicit Item(std::uint64_t v) : value(v) {}
    std::uint64_t value;
    std::uint64_t padding = 0;
};

TEST(Slab, ObjectsNeverMoveAsTheSlabGrows) {
    Slab<Item> slab;
    std::vector<Item*> placed;
    for (std::uint64_t i = 0; i < 3 * Slab<Item>::kChunkSize + 5; ++i) {
        const auto p = slab.emplace(i);
        EXPECT_EQ(p.index, i);
        EXPECT_EQ(p.tag, 0u);  // never used before
        placed.push_back(p.object);
    }
    for (std::uint32_t i = 0; i < placed.size(); ++i) {
        EXPECT_EQ(slab.at(i), placed[i]);
        EXPECT_EQ(placed[i]->value, i);
    }
    EXPECT_EQ(slab.size(), placed.size());
}

TEST(Slab, AFreedSlotIsReusedWithItsTag) {
    Slab<Item> slab;
    for (std::uint64_t i = 0; i < 4; ++i) (void)slab.emplace(i);
    slab.erase(1, 7);
    slab.erase(2, 9);
    EXPECT_FALSE(slab.live(1));
    EXPECT_EQ(slab.find(2), nullptr);
    EXPECT_EQ(slab.size(), 2u);

    const auto a = slab.emplace(20);  // the most recently freed first
    EXPECT_EQ(a.index, 2u);
    EXPECT_EQ(a.tag, 9u);
    const auto b = slab.emplace(10);
    EXPECT_EQ(b.index, 1u);
    EXPECT_EQ(b.tag, 7u);
    const auto c = slab.emplace(40);  // none free: a new slot
    EXPECT_EQ(c.index, 4u);
    EXPECT_EQ(slab.find(2)->value, 20u);
    EXPECT_EQ(slab.size(), 5u);

    std::uint64_t sum = 0;
    slab.for_each([&](const Item& item) { sum += item.value; });
    EXPECT_EQ(sum, 0u + 10u + 20u + 3u + 40u);
}

}  // namespace
}  // namespace synack::stack
