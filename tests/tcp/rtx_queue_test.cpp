// The retransmission queue's records: contiguous in sequence space across the wrap, found by binary search,
// split in place, grown by doubling from the pool and given back when empty.
#include <gtest/gtest.h>

#include "tcp/rtx_queue.hpp"

namespace synack::tcp {
namespace {

TxRecord record(std::uint32_t seq, std::uint16_t len, std::uint8_t flags = 0) {
    TxRecord r;
    r.seq = Seq32(seq);
    r.len = len;
    r.flags = flags;
    r.xmit_us = seq;
    return r;
}

TEST(RtxQueue, FindsTheRecordHoldingASequenceNumberAcrossTheWrap) {
    BufferPool pool;
    RtxQueue q;
    const std::uint32_t start = 4294967000u;  // the third record crosses 2^32
    for (std::uint32_t i = 0; i < 5; ++i) ASSERT_TRUE(q.push_back(pool, record(start + i * 200, 200)));
    EXPECT_EQ(q.find(Seq32(start)), 0u);
    EXPECT_EQ(q.find(Seq32(start + 199)), 0u);
    EXPECT_EQ(q.find(Seq32(start + 200)), 1u);
    EXPECT_EQ(q.find(Seq32(start + 450)), 2u);
    EXPECT_EQ(q.find(Seq32(start + 999)), 4u);
    EXPECT_EQ(q.find(Seq32(start + 1000)), q.size());  // past the end
    EXPECT_EQ(q.find(Seq32(start - 1)), q.size());     // before the head
    q.release(pool);
}

TEST(RtxQueue, AFinCountsAsTheLastSequenceNumberOfItsRecord) {
    BufferPool pool;
    RtxQueue q;
    ASSERT_TRUE(q.push_back(pool, record(100, 10, tx_flag::kFin)));
    EXPECT_EQ(q[0].end_seq(), Seq32(111));
    EXPECT_EQ(q.find(Seq32(110)), 0u);  // the FIN
    q.release(pool);
}

TEST(RtxQueue, SplitKeepsFlagsAndSendTimeAndLeavesTheFinOnTheTail) {
    BufferPool pool;
    RtxQueue q;
    ASSERT_TRUE(q.push_back(pool, record(1000, 100)));
    ASSERT_TRUE(q.push_back(pool, record(1100, 100, tx_flag::kFin | tx_flag::kLost)));
    ASSERT_TRUE(q.push_back(pool, record(1201, 100)));
    ASSERT_TRUE(q.split(pool, 1, Seq32(1130)));
    ASSERT_EQ(q.size(), 4u);
    EXPECT_EQ(q[1].seq, Seq32(1100));
    EXPECT_EQ(q[1].len, 30);
    EXPECT_EQ(q[1].flags, tx_flag::kLost);
    EXPECT_EQ(q[2].seq, Seq32(1130));
    EXPECT_EQ(q[2].len, 70);
    EXPECT_EQ(q[2].flags, tx_flag::kFin | tx_flag::kLost);
    EXPECT_EQ(q[2].xmit_us, q[1].xmit_us);
    EXPECT_EQ(q[3].seq, Seq32(1201));
    q.release(pool);
}

TEST(RtxQueue, GrowsPastItsFirstBufferAndWrapsAroundTheRing) {
    BufferPool pool;
    RtxQueue q;
    std::uint32_t next = 0;
    std::uint32_t head = 0;
    // Push and pop so that the ring's head moves, then grow with records on both sides of the wrap.
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(q.push_back(pool, record(next++ * 10, 10)));
    for (int i = 0; i < 150; ++i, ++head) q.pop_front();
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(q.push_back(pool, record(next++ * 10, 10)));
    ASSERT_EQ(q.size(), next - head);
    for (std::uint32_t i = 0; i < q.size(); ++i) ASSERT_EQ(q[i].seq, Seq32((head + i) * 10)) << i;
    EXPECT_EQ(q.find(Seq32(777 * 10 + 3)), 777u - head);
    while (!q.empty()) q.pop_front();
    q.release_if_empty(pool);
    EXPECT_FALSE(q.has_buffer());
    EXPECT_EQ(pool.bytes_outstanding(), 0u);
}

}  // namespace
}  // namespace synack::tcp
