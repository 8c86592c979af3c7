// The out-of-order queue (tcp/ofo_queue.hpp) against a byte-map model, and the receive path built on it: any
// number of ranges above a hole, duplicates trimmed, every byte delivered once and in order, memory bounded
// under a flood of tiny out-of-order segments (the SegmentSmack lesson, Linux tcp_prune_ofo_queue()).
#include "tcp/ofo_queue.hpp"

#include <random>

#include "tcp/harness.hpp"

namespace synack::tcp::test {
namespace {

using wire::Seq32;

std::vector<SeqRange> ranges(const OfoQueue& q) {
    std::vector<SeqRange> out;
    SeqRange r{};
    if (q.empty()) return out;
    r = q.front();
    out.push_back(r);
    while (q.next_after(r.start, r)) out.push_back(r);
    return out;
}

TEST(OfoQueue, MergesWhatTouchesAndKeepsTheRestApart) {
    BufferPool pool;
    OfoQueue q;
    const Seq32 base(0xfffff000u);  // the ranges wrap past 2^32
    ASSERT_TRUE(q.make_room(pool, 100, {base + 100, base + 200}));
    q.insert({base + 100, base + 200});
    ASSERT_TRUE(q.make_room(pool, 100, {base + 300, base + 400}));
    q.insert({base + 300, base + 400});
    q.insert({base + 5000, base + 5100});
    EXPECT_EQ(q.size(), 3u);
    q.insert({base + 200, base + 300});  // touches both neighbours: one range
    auto rs = ranges(q);
    ASSERT_EQ(rs.size(), 2u);
    EXPECT_EQ(rs[0].start, base + 100);
    EXPECT_EQ(rs[0].end, base + 400);
    EXPECT_EQ(rs[1].start, base + 5000);
    q.insert({base + 50, base + 6000});  // swallows everything
    rs = ranges(q);
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_EQ(rs[0].start, base + 50);
    EXPECT_EQ(rs[0].end, base + 6000);
    SeqRange f{};
    EXPECT_TRUE(q.floor(base + 70, f));
    EXPECT_FALSE(q.floor(base + 10, f));
    q.pop_front();
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(pool.bytes_outstanding(), 0u);  // the node array goes back with the last range
}

TEST(OfoQueue, MatchesAByteMapUnderRandomInsertions) {
    BufferPool pool;
    OfoQueue q;
    std::mt19937 rng(5);
    const Seq32 base(0xffff0000u);
    constexpr std::uint32_t kSpan = 20000;
    std::vector<bool> held(kSpan, false);
    for (int i = 0; i < 3000; ++i) {
        const std::uint32_t a = rng() % (kSpan - 1);
        const std::uint32_t len = 1 + rng() % (i % 3 == 0 ? 300 : 3);
        const std::uint32_t b = std::min(kSpan, a + len);
        ASSERT_TRUE(q.make_room(pool, 1u << 20, {base + a, base + b}));
        q.insert({base + a, base + b});
        for (std::uint32_t k = a; k < b; ++k) held[k] = true;
    }
    std::vector<SeqRange> model;
    for (std::uint32_t k = 0; k < kSpan; ++k) {
        if (!held[k]) continue;
        std::uint32_t e = k;
        while (e < kSpan && held[e]) ++e;
        model.push_back({base + k, base + e});
        k = e;
    }
    const auto rs = ranges(q);
    ASSERT_EQ(rs.size(), model.size());
    EXPECT_EQ(q.size(), model.size());
    for (std::size_t i = 0; i < rs.size(); ++i) {
        EXPECT_EQ(rs[i].start, model[i].start) << i;
        EXPECT_EQ(rs[i].end, model[i].end) << i;
    }
    EXPECT_EQ(q.back().end, model.back().end);
    while (!q.empty()) q.pop_back();
    EXPECT_EQ(pool.bytes_outstanding(), 0u);
}

TEST(OfoQueue, ABoundedNumberOfNodes) {
    BufferPool pool;
    OfoQueue q;
    const Seq32 base(1000);
    for (std::uint32_t i = 0; i < 10; ++i) {
        ASSERT_TRUE(q.make_room(pool, 10, {base + 10 * i, base + 10 * i + 1}));
        q.insert({base + 10 * i, base + 10 * i + 1});
    }
    // Full: a range needing a node is refused; one merging into a held range is not.
    EXPECT_FALSE(q.make_room(pool, 10, {base + 500, base + 501}));
    EXPECT_TRUE(q.make_room(pool, 10, {base + 1, base + 2}));
    EXPECT_EQ(q.size(), 10u);
    q.clear();
    EXPECT_EQ(pool.bytes_outstanding(), 0u);
}

constexpr std::uint32_t C = kClientIss + 1;
constexpr std::uint32_t S = kServerIss + 1;

struct Receive : EstablishedClient {
    std::uint32_t tsval = 510000;
    void data(std::uint32_t offset, const std::vector<std::uint8_t>& bytes) {
        Inject d;
        d.seq = S + offset;
        d.ack = C;
        d.flags = wire::tcp_flags::kAck;
        d.payload = bytes;
        d.ts = {{tsval, 11000}};
        inject(d);
    }
    static std::vector<std::uint8_t> pattern(std::uint32_t offset, std::uint32_t len) {
        std::vector<std::uint8_t> v(len);
        for (std::uint32_t i = 0; i < len; ++i) v[i] = static_cast<std::uint8_t>((offset + i) * 7 + 3);
        return v;
    }
    std::vector<std::uint8_t> read_all() {
        std::vector<std::uint8_t> out;
        std::array<std::uint8_t, 4096> buf{};
        for (int i = 0; i < 10000; ++i) {
            auto r = p.client.conn->recv(buf, p.now);
            if (!r || *r == 0) break;
            out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(*r));
        }
        return out;
    }
};

TEST_F(Receive, ManyRangesInAnyOrderAreDeliveredOnceAndInOrder) {
    // 40 segments of 500 bytes, the first missing; the rest arrive shuffled and partly duplicated.
    std::vector<std::uint32_t> order;
    for (std::uint32_t i = 1; i < 40; ++i) order.push_back(i);
    std::mt19937 rng(11);
    std::shuffle(order.begin(), order.end(), rng);
    for (std::uint32_t i : order) {
        data(i * 500, pattern(i * 500, 500));
        if (i % 5 == 0) data(i * 500 - 100, pattern(i * 500 - 100, 300));  // overlapping retransmissions
    }
    EXPECT_EQ(p.client.conn->readable_bytes(), 0u);
    EXPECT_EQ(p.client.conn->rcv_nxt(), Seq32(S));
    data(0, pattern(0, 500));
    EXPECT_EQ(p.client.conn->rcv_nxt(), Seq32(S + 20000));
    EXPECT_EQ(read_all(), pattern(0, 20000));
    // The last ACK acknowledges everything and carries no SACK block.
    EXPECT_EQ(Pair::texts(p.client.host, p.client.host.sent.size() - 1).back().find("sack"), std::string::npos);
}

TEST_F(Receive, AFloodOfTinyOutOfOrderSegmentsStaysBounded) {
    // One byte every other byte across the window, highest first (the worst order for a list): the queue
    // holds a bounded number of ranges, dropping from the top (tcp_prune_ofo_queue()), and stays usable.
    const std::uint32_t window = p.client.conn->receive_window();
    ASSERT_GT(window, 4000u);
    std::size_t peak = 0;
    for (std::uint32_t off = window - 2; off >= 2; off -= 2) {
        data(off, pattern(off, 1));
        peak = std::max(peak, p.client.host.pool.bytes_outstanding());
    }
    // At most rcvbuf / 256 ranges (131072 / 256 here): the lowest ones, the higher ones pruned.
    EXPECT_GT(p.client.conn->ofo_ranges(), 100u);
    EXPECT_LE(p.client.conn->ofo_ranges(), 512u);
    // The bytes stay within the receive ring (at most twice the buffer limit) plus a node array of 512 × 20.
    EXPECT_LE(peak, std::size_t{4} * 131072 + 16384);
    // Fill in order: the stream is whole, each byte delivered once (the held bytes below 4000 are covered).
    for (std::uint32_t off = 0; off < 4000; off += 1000) data(off, pattern(off, 1000));
    EXPECT_EQ(p.client.conn->rcv_nxt(), Seq32(S + 4000));
    EXPECT_EQ(read_all(), pattern(0, 4000));
}

}  // namespace
}  // namespace synack::tcp::test
