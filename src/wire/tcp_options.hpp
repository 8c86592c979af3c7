// TCP options (RFC 9293 §3.1, §3.2): walking them, reading each kind, and building them.
//
// TcpOptionIterator walks the option bytes the way Linux's tcp_parse_options (net/ipv4/tcp_input.c) and
// tcpdump's print-tcp.c frame them: EOL ends the list, NOP is a single byte, every other kind carries a length
// byte that counts the kind and length bytes themselves, is at least 2 and fits in what is left. A framing error
// ends the walk (Linux stops parsing there too); the iterator still says where it happened and which kind it was,
// so a printer can show it.
//
// The typed readers (as_mss(), as_timestamps(), …) check the length the option's own RFC requires and answer
// ParseError::BadOptionLength otherwise; kind(), length(), data() and raw() stay available, so a malformed option
// can still be shown byte for byte.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "wire/bytes.hpp"
#include "wire/parse_error.hpp"
#include "wire/seq32.hpp"

namespace synack::wire {

// IANA "TCP Option Kind Numbers".
namespace tcp_option_kind {
inline constexpr std::uint8_t kEol = 0;             // RFC 9293
inline constexpr std::uint8_t kNop = 1;             // RFC 9293
inline constexpr std::uint8_t kMss = 2;             // RFC 9293
inline constexpr std::uint8_t kWindowScale = 3;     // RFC 7323 §2
inline constexpr std::uint8_t kSackPermitted = 4;   // RFC 2018 §2
inline constexpr std::uint8_t kSack = 5;            // RFC 2018 §3
inline constexpr std::uint8_t kTimestamps = 8;      // RFC 7323 §3
inline constexpr std::uint8_t kMd5Signature = 19;   // RFC 2385
inline constexpr std::uint8_t kUserTimeout = 28;    // RFC 5482
inline constexpr std::uint8_t kAuthentication = 29; // TCP-AO, RFC 5925
inline constexpr std::uint8_t kMptcp = 30;          // RFC 8684
inline constexpr std::uint8_t kFastOpen = 34;       // RFC 7413
inline constexpr std::uint8_t kExperiment1 = 253;   // RFC 4727, RFC 6994
inline constexpr std::uint8_t kExperiment2 = 254;   // RFC 4727, RFC 6994
}  // namespace tcp_option_kind

// Option lengths fixed by their RFCs (the whole option, kind and length bytes included).
namespace tcp_option_length {
inline constexpr std::uint8_t kMss = 4;
inline constexpr std::uint8_t kWindowScale = 3;
inline constexpr std::uint8_t kSackPermitted = 2;
inline constexpr std::uint8_t kSackBase = 2;        // plus 8 per block
inline constexpr std::uint8_t kSackPerBlock = 8;
inline constexpr std::uint8_t kTimestamps = 10;
inline constexpr std::uint8_t kMd5Signature = 18;
inline constexpr std::uint8_t kUserTimeout = 4;
inline constexpr std::uint8_t kAuthenticationMin = 4;  // kind, length, KeyID, RNextKeyID, then the MAC
inline constexpr std::uint8_t kMptcpMin = 3;           // kind, length, subtype nibble
inline constexpr std::uint8_t kFastOpenBase = 2;             // kind 34 without a cookie = a cookie request
inline constexpr std::uint8_t kExperimentalFastOpenBase = 4; // kind 254 + magic 0xF989
}  // namespace tcp_option_length

// RFC 6994 experiment identifier of TCP Fast Open when sent under kind 254 (RFC 7413 §4.1.1, "0xF989").
inline constexpr std::uint16_t kFastOpenExperimentId = 0xF989;
// RFC 7413 §4.1.1: a cookie is 4 to 16 bytes, an even number of them (Linux TCP_FASTOPEN_COOKIE_MIN/MAX).
inline constexpr std::size_t kFastOpenCookieMin = 4;
inline constexpr std::size_t kFastOpenCookieMax = 16;
// The largest option space a TCP header can describe: data offset 15 words minus the 20-byte fixed header.
inline constexpr std::size_t kMaxTcpOptionBytes = 40;
// So at most 4 SACK blocks fit (2 + 4 * 8 = 34 bytes).
inline constexpr std::size_t kMaxSackBlocks = 4;

struct SackBlock {
    Seq32 left;   // first sequence number of the block
    Seq32 right;  // sequence number just past the block
    friend constexpr bool operator==(const SackBlock&, const SackBlock&) = default;
};

struct SackBlocks {
    std::array<SackBlock, kMaxSackBlocks> blocks{};
    std::size_t count = 0;

    std::span<const SackBlock> view() const noexcept { return {blocks.data(), count}; }
    const SackBlock* begin() const noexcept { return blocks.data(); }
    const SackBlock* end() const noexcept { return blocks.data() + count; }
    std::size_t size() const noexcept { return count; }
    const SackBlock& operator[](std::size_t i) const noexcept { return blocks[i]; }
};

struct TcpTimestamps {
    std::uint32_t value = 0;       // TSval
    std::uint32_t echo_reply = 0;  // TSecr
    friend constexpr bool operator==(const TcpTimestamps&, const TcpTimestamps&) = default;
};

struct FastOpenCookie {
    Bytes cookie;               // empty: a cookie request (RFC 7413 §4.1.1)
    bool experimental = false;  // carried as kind 254 with magic 0xF989 rather than kind 34
    bool is_request() const noexcept { return cookie.empty(); }
};

struct TcpAuthentication {     // RFC 5925 §2.2
    std::uint8_t key_id = 0;
    std::uint8_t rnext_key_id = 0;
    Bytes mac;
};

struct MptcpOption {          // RFC 8684 §2: the subtype is the high nibble of the first data byte
    std::uint8_t subtype = 0;
    Bytes data;               // every byte after kind and length, the subtype byte included
};

// RFC 8684 §3 MPTCP option subtypes.
namespace mptcp_subtype {
inline constexpr std::uint8_t kMpCapable = 0x0;
inline constexpr std::uint8_t kMpJoin = 0x1;
inline constexpr std::uint8_t kDss = 0x2;
inline constexpr std::uint8_t kAddAddr = 0x3;
inline constexpr std::uint8_t kRemoveAddr = 0x4;
inline constexpr std::uint8_t kMpPrio = 0x5;
inline constexpr std::uint8_t kMpFail = 0x6;
inline constexpr std::uint8_t kMpFastclose = 0x7;
inline constexpr std::uint8_t kMpTcpRst = 0x8;
}  // namespace mptcp_subtype

struct TcpUserTimeout {        // RFC 5482 §2
    bool granularity_minutes = false;  // G bit: the timeout counts minutes, not seconds
    std::uint16_t timeout = 0;         // 15 bits
};

// One framed option. For EOL and NOP length() is 1 and data() is empty.
class TcpOption {
public:
    TcpOption() = default;

    std::uint8_t kind() const noexcept { return raw_.empty() ? tcp_option_kind::kEol : raw_[0]; }
    // The length byte (the whole option's size), or 1 for EOL and NOP, which have none.
    std::uint8_t length() const noexcept { return static_cast<std::uint8_t>(raw_.size()); }
    Bytes data() const noexcept;                     // the bytes after kind and length
    Bytes raw() const noexcept { return raw_; }      // the whole option, kind byte first
    std::size_t offset() const noexcept { return offset_; }  // where it starts within the option bytes

    ParseResult<std::uint16_t> as_mss() const noexcept;
    ParseResult<std::uint8_t> as_window_scale() const noexcept;  // the shift as sent (Linux clamps > 14 itself)
    ParseResult<void> as_sack_permitted() const noexcept;
    // 2 + 8n bytes with 0 <= n <= 4 (n = 0 is framed correctly but carries nothing; Linux ignores it).
    ParseResult<SackBlocks> as_sack_blocks() const noexcept;
    ParseResult<TcpTimestamps> as_timestamps() const noexcept;
    // Kind 34, or kind 254 with magic 0xF989 (anything else under 254: Unsupported). A cookie must be 4–16 bytes
    // and even (RFC 7413 §4.1.1); otherwise BadOptionLength.
    ParseResult<FastOpenCookie> as_fast_open_cookie() const noexcept;
    ParseResult<Bytes> as_md5_signature() const noexcept;  // the 16-byte digest (RFC 2385 §3.0)
    ParseResult<TcpAuthentication> as_authentication() const noexcept;
    ParseResult<MptcpOption> as_mptcp() const noexcept;
    ParseResult<TcpUserTimeout> as_user_timeout() const noexcept;
    // RFC 6994: the 16-bit experiment identifier that starts the data of kinds 253 and 254.
    ParseResult<std::uint16_t> as_experiment_id() const noexcept;

private:
    friend class TcpOptionIterator;
    TcpOption(Bytes raw, std::size_t offset) noexcept : raw_(raw), offset_(offset) {}
    ParseResult<void> require_kind_and_length(std::uint8_t kind, std::uint8_t length) const noexcept;

    Bytes raw_;  // never empty once built by the iterator
    std::size_t offset_ = 0;
};

class TcpOptionIterator {
public:
    explicit TcpOptionIterator(Bytes options) noexcept : bytes_(options) {}

    // No more options: the bytes are used up, EOL was returned, or a framing error was.
    bool at_end() const noexcept { return done_ || offset_ >= bytes_.size(); }
    // The next option; call only while !at_end() (otherwise Truncated). A framing error (a kind with no length
    // byte, a length below 2, a length past the end) is returned once as BadOptionLength and ends the walk;
    // remaining() then starts at the offending kind byte, so its kind and length byte can still be shown.
    ParseResult<TcpOption> next() noexcept;

    std::size_t offset() const noexcept { return offset_; }  // where the next option (or the error) starts
    Bytes remaining() const noexcept { return bytes_.subspan(offset_); }

private:
    Bytes bytes_;
    std::size_t offset_ = 0;
    bool done_ = false;
};

// Runs an iterator to the end: the first framing error, if any (EOL ends the check).
ParseResult<void> validate_tcp_options(Bytes options) noexcept;

// Appends options in the caller's order into a fixed 40-byte buffer (no allocation). Linux's SYN order is
// mss, sack_permitted, timestamps, nop, window_scale. bytes() is padded with zero bytes (EOL and RFC 9293's
// zero padding) to a multiple of 4; pad_with_nops() pads with NOPs instead. An append that does not fit is
// dropped and overflowed() becomes true.
class TcpOptionsBuilder {
public:
    TcpOptionsBuilder& eol() noexcept;
    TcpOptionsBuilder& nop() noexcept;
    TcpOptionsBuilder& mss(std::uint16_t mss) noexcept;
    TcpOptionsBuilder& window_scale(std::uint8_t shift) noexcept;
    TcpOptionsBuilder& sack_permitted() noexcept;
    TcpOptionsBuilder& sack(std::span<const SackBlock> blocks) noexcept;
    TcpOptionsBuilder& timestamps(std::uint32_t value, std::uint32_t echo_reply) noexcept;
    TcpOptionsBuilder& fast_open(Bytes cookie) noexcept;               // kind 34; an empty cookie is a request
    TcpOptionsBuilder& fast_open_experimental(Bytes cookie) noexcept;  // kind 254, magic 0xF989
    TcpOptionsBuilder& md5_signature(Bytes digest) noexcept;           // 16 bytes expected
    TcpOptionsBuilder& authentication(std::uint8_t key_id, std::uint8_t rnext_key_id, Bytes mac) noexcept;
    TcpOptionsBuilder& mptcp(Bytes data) noexcept;                     // data starts with the subtype byte
    TcpOptionsBuilder& user_timeout(bool granularity_minutes, std::uint16_t timeout) noexcept;
    // Any kind with its data; the length byte is 2 + data.size().
    TcpOptionsBuilder& option(std::uint8_t kind, Bytes data) noexcept;
    // Verbatim bytes, e.g. a deliberately malformed option for a test.
    TcpOptionsBuilder& raw(Bytes bytes) noexcept;
    // Appends NOPs until the unpadded size is a multiple of 4.
    TcpOptionsBuilder& pad_with_nops() noexcept;

    std::size_t unpadded_size() const noexcept { return size_; }
    std::size_t size() const noexcept { return (size_ + 3) & ~std::size_t{3}; }  // padded to 4
    Bytes bytes() const noexcept { return {buffer_.data(), size()}; }
    bool overflowed() const noexcept { return overflowed_; }
    void write(MutableBytes out) const noexcept;  // out.size() >= size()

private:
    bool reserve(std::size_t n) noexcept;  // room for n more bytes? (marks overflow when not)
    void put(std::uint8_t b) noexcept { buffer_[size_++] = b; }
    void put16(std::uint16_t v) noexcept;
    void put32(std::uint32_t v) noexcept;
    void put_bytes(Bytes b) noexcept;

    std::array<std::uint8_t, kMaxTcpOptionBytes> buffer_{};
    std::size_t size_ = 0;
    bool overflowed_ = false;
};

}  // namespace synack::wire
