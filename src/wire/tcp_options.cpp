#include "wire/tcp_options.hpp"

#include <algorithm>

namespace synack::wire {

namespace kind = tcp_option_kind;
namespace len = tcp_option_length;

// ---- TcpOption ----

Bytes TcpOption::data() const noexcept {
    if (raw_.size() < 2) return {};
    return raw_.subspan(2);
}

ParseResult<void> TcpOption::require_kind_and_length(std::uint8_t k, std::uint8_t length) const noexcept {
    if (kind() != k) return Err{ParseError::Unsupported};
    if (raw_.size() != length) return Err{ParseError::BadOptionLength};
    return {};
}

ParseResult<std::uint16_t> TcpOption::as_mss() const noexcept {
    if (auto r = require_kind_and_length(kind::kMss, len::kMss); !r) return Err{r.error()};
    return load_be16(raw_.data() + 2);
}

ParseResult<std::uint8_t> TcpOption::as_window_scale() const noexcept {
    if (auto r = require_kind_and_length(kind::kWindowScale, len::kWindowScale); !r) return Err{r.error()};
    return raw_[2];
}

ParseResult<void> TcpOption::as_sack_permitted() const noexcept {
    return require_kind_and_length(kind::kSackPermitted, len::kSackPermitted);
}

ParseResult<SackBlocks> TcpOption::as_sack_blocks() const noexcept {
    if (kind() != kind::kSack) return Err{ParseError::Unsupported};
    // RFC 2018 §3: length = 2 + 8n. More than 4 blocks cannot fit in a TCP header's 40 option bytes.
    const Bytes d = data();
    if (raw_.size() < len::kSackBase || d.size() % len::kSackPerBlock != 0 ||
        d.size() / len::kSackPerBlock > kMaxSackBlocks) {
        return Err{ParseError::BadOptionLength};
    }
    SackBlocks out;
    out.count = d.size() / len::kSackPerBlock;
    for (std::size_t i = 0; i < out.count; ++i) {
        const std::uint8_t* p = d.data() + i * len::kSackPerBlock;
        out.blocks[i] = SackBlock{Seq32(load_be32(p)), Seq32(load_be32(p + 4))};
    }
    return out;
}

ParseResult<TcpTimestamps> TcpOption::as_timestamps() const noexcept {
    if (auto r = require_kind_and_length(kind::kTimestamps, len::kTimestamps); !r) return Err{r.error()};
    return TcpTimestamps{load_be32(raw_.data() + 2), load_be32(raw_.data() + 6)};
}

ParseResult<FastOpenCookie> TcpOption::as_fast_open_cookie() const noexcept {
    FastOpenCookie out;
    if (kind() == kind::kFastOpen) {
        if (raw_.size() < len::kFastOpenBase) return Err{ParseError::BadOptionLength};
        out.cookie = data();
    } else if (kind() == kind::kExperiment2) {
        // RFC 7413 §4.1.1 / RFC 6994: kind 254, length, magic 0xF989, cookie.
        if (raw_.size() < len::kExperimentalFastOpenBase) return Err{ParseError::BadOptionLength};
        if (load_be16(raw_.data() + 2) != kFastOpenExperimentId) return Err{ParseError::Unsupported};
        out.cookie = raw_.subspan(len::kExperimentalFastOpenBase);
        out.experimental = true;
    } else {
        return Err{ParseError::Unsupported};
    }
    // Linux tcp_parse_fastopen_option: an even length of 4..16, or none at all.
    const std::size_t n = out.cookie.size();
    if (n != 0 && (n < kFastOpenCookieMin || n > kFastOpenCookieMax || n % 2 != 0)) {
        return Err{ParseError::BadOptionLength};
    }
    return out;
}

ParseResult<Bytes> TcpOption::as_md5_signature() const noexcept {
    if (auto r = require_kind_and_length(kind::kMd5Signature, len::kMd5Signature); !r) return Err{r.error()};
    return data();
}

ParseResult<TcpAuthentication> TcpOption::as_authentication() const noexcept {
    if (kind() != kind::kAuthentication) return Err{ParseError::Unsupported};
    if (raw_.size() < len::kAuthenticationMin) return Err{ParseError::BadOptionLength};
    return TcpAuthentication{raw_[2], raw_[3], raw_.subspan(4)};
}

ParseResult<MptcpOption> TcpOption::as_mptcp() const noexcept {
    if (kind() != kind::kMptcp) return Err{ParseError::Unsupported};
    if (raw_.size() < len::kMptcpMin) return Err{ParseError::BadOptionLength};
    return MptcpOption{static_cast<std::uint8_t>(raw_[2] >> 4), data()};
}

ParseResult<TcpUserTimeout> TcpOption::as_user_timeout() const noexcept {
    if (auto r = require_kind_and_length(kind::kUserTimeout, len::kUserTimeout); !r) return Err{r.error()};
    const std::uint16_t v = load_be16(raw_.data() + 2);
    return TcpUserTimeout{(v & 0x8000) != 0, static_cast<std::uint16_t>(v & 0x7fff)};
}

ParseResult<std::uint16_t> TcpOption::as_experiment_id() const noexcept {
    if (kind() != kind::kExperiment1 && kind() != kind::kExperiment2) return Err{ParseError::Unsupported};
    if (raw_.size() < 4) return Err{ParseError::BadOptionLength};
    return load_be16(raw_.data() + 2);
}

// ---- TcpOptionIterator ----

ParseResult<TcpOption> TcpOptionIterator::next() noexcept {
    if (at_end()) return Err{ParseError::Truncated};
    const std::size_t left = bytes_.size() - offset_;
    const std::uint8_t k = bytes_[offset_];
    if (k == kind::kEol || k == kind::kNop) {
        // EOL ends the list (Linux returns, tcpdump breaks); NOP is one byte.
        TcpOption opt(bytes_.subspan(offset_, 1), offset_);
        ++offset_;
        if (k == kind::kEol) done_ = true;
        return opt;
    }
    // Linux: `if (length < 2) return; opsize = *ptr++; if (opsize < 2) return; if (opsize > length) return;`
    if (left < 2 || bytes_[offset_ + 1] < 2 || bytes_[offset_ + 1] > left) {
        done_ = true;
        return Err{ParseError::BadOptionLength};
    }
    const std::size_t n = bytes_[offset_ + 1];
    TcpOption opt(bytes_.subspan(offset_, n), offset_);
    offset_ += n;
    return opt;
}

ParseResult<void> validate_tcp_options(Bytes options) noexcept {
    TcpOptionIterator it(options);
    while (!it.at_end()) {
        if (auto opt = it.next(); !opt) return Err{opt.error()};
    }
    return {};
}

// ---- TcpOptionsBuilder ----

bool TcpOptionsBuilder::reserve(std::size_t n) noexcept {
    if (n > buffer_.size() - size_) {
        overflowed_ = true;
        return false;
    }
    return true;
}

void TcpOptionsBuilder::put16(std::uint16_t v) noexcept {
    store_be16(buffer_.data() + size_, v);
    size_ += 2;
}

void TcpOptionsBuilder::put32(std::uint32_t v) noexcept {
    store_be32(buffer_.data() + size_, v);
    size_ += 4;
}

void TcpOptionsBuilder::put_bytes(Bytes b) noexcept {
    std::copy(b.begin(), b.end(), buffer_.begin() + static_cast<std::ptrdiff_t>(size_));
    size_ += b.size();
}

TcpOptionsBuilder& TcpOptionsBuilder::eol() noexcept {
    if (reserve(1)) put(kind::kEol);
    return *this;
}

TcpOptionsBuilder& TcpOptionsBuilder::nop() noexcept {
    if (reserve(1)) put(kind::kNop);
    return *this;
}

TcpOptionsBuilder& TcpOptionsBuilder::mss(std::uint16_t mss) noexcept {
    if (!reserve(len::kMss)) return *this;
    put(kind::kMss);
    put(len::kMss);
    put16(mss);
    return *this;
}

TcpOptionsBuilder& TcpOptionsBuilder::window_scale(std::uint8_t shift) noexcept {
    if (!reserve(len::kWindowScale)) return *this;
    put(kind::kWindowScale);
    put(len::kWindowScale);
    put(shift);
    return *this;
}

TcpOptionsBuilder& TcpOptionsBuilder::sack_permitted() noexcept {
    if (!reserve(len::kSackPermitted)) return *this;
    put(kind::kSackPermitted);
    put(len::kSackPermitted);
    return *this;
}

TcpOptionsBuilder& TcpOptionsBuilder::sack(std::span<const SackBlock> blocks) noexcept {
    const std::size_t n = len::kSackBase + blocks.size() * len::kSackPerBlock;
    if (!reserve(n)) return *this;
    put(kind::kSack);
    put(static_cast<std::uint8_t>(n));
    for (const SackBlock& b : blocks) {
        put32(b.left.raw());
        put32(b.right.raw());
    }
    return *this;
}

TcpOptionsBuilder& TcpOptionsBuilder::timestamps(std::uint32_t value, std::uint32_t echo_reply) noexcept {
    if (!reserve(len::kTimestamps)) return *this;
    put(kind::kTimestamps);
    put(len::kTimestamps);
    put32(value);
    put32(echo_reply);
    return *this;
}

TcpOptionsBuilder& TcpOptionsBuilder::fast_open(Bytes cookie) noexcept { return option(kind::kFastOpen, cookie); }

TcpOptionsBuilder& TcpOptionsBuilder::fast_open_experimental(Bytes cookie) noexcept {
    const std::size_t n = len::kExperimentalFastOpenBase + cookie.size();
    if (n > 255 || !reserve(n)) {
        overflowed_ = true;
        return *this;
    }
    put(kind::kExperiment2);
    put(static_cast<std::uint8_t>(n));
    put16(kFastOpenExperimentId);
    put_bytes(cookie);
    return *this;
}

TcpOptionsBuilder& TcpOptionsBuilder::md5_signature(Bytes digest) noexcept {
    return option(kind::kMd5Signature, digest);
}

TcpOptionsBuilder& TcpOptionsBuilder::authentication(std::uint8_t key_id, std::uint8_t rnext_key_id,
                                                     Bytes mac) noexcept {
    const std::size_t n = len::kAuthenticationMin + mac.size();
    if (n > 255 || !reserve(n)) {
        overflowed_ = true;
        return *this;
    }
    put(kind::kAuthentication);
    put(static_cast<std::uint8_t>(n));
    put(key_id);
    put(rnext_key_id);
    put_bytes(mac);
    return *this;
}

TcpOptionsBuilder& TcpOptionsBuilder::mptcp(Bytes data) noexcept { return option(kind::kMptcp, data); }

TcpOptionsBuilder& TcpOptionsBuilder::user_timeout(bool granularity_minutes, std::uint16_t timeout) noexcept {
    if (!reserve(len::kUserTimeout)) return *this;
    put(kind::kUserTimeout);
    put(len::kUserTimeout);
    put16(static_cast<std::uint16_t>((granularity_minutes ? 0x8000 : 0) | (timeout & 0x7fff)));
    return *this;
}

TcpOptionsBuilder& TcpOptionsBuilder::option(std::uint8_t k, Bytes data) noexcept {
    const std::size_t n = 2 + data.size();
    if (n > 255 || !reserve(n)) {
        overflowed_ = true;
        return *this;
    }
    put(k);
    put(static_cast<std::uint8_t>(n));
    put_bytes(data);
    return *this;
}

TcpOptionsBuilder& TcpOptionsBuilder::raw(Bytes bytes) noexcept {
    if (reserve(bytes.size())) put_bytes(bytes);
    return *this;
}

TcpOptionsBuilder& TcpOptionsBuilder::pad_with_nops() noexcept {
    while (size_ % 4 != 0) put(kind::kNop);  // size_ <= 40 and 40 % 4 == 0, so this always fits
    return *this;
}

void TcpOptionsBuilder::write(MutableBytes out) const noexcept {
    const Bytes b = bytes();
    std::copy(b.begin(), b.end(), out.begin());
}

}  // namespace synack::wire
