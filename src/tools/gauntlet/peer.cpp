#include "tools/gauntlet/peer.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "tcp/state.hpp"

namespace synack::tools::gauntlet {

namespace {

// Stream bytes generated ahead of the writes: four times the largest write, so a write that the send buffer takes
// only in part does not make the next one generate its bytes again (at most 4/3 of the stream is generated).
constexpr std::size_t kChunk = 4 * 1024 * 1024;

// Keepalive more patient than any live peer: a sender backed off to tcp_rto_max (120 s) retransmits at least that
// often and answers every probe, so only a peer that is gone goes 300 + 9 * 75 s without a word. (With an idle of
// 60 s and 5 probes 10 s apart, a receiver gave up on a live sender between two retransmissions: seed 650.)
// Linux's defaults are 7200 s, 75 s, 9.
constexpr int kKeepidle = 300;
constexpr int kKeepintvl = 75;
constexpr int kKeepcnt = 9;

bool would_block(api::Errno e) { return e == api::Errno::kAgain; }

}  // namespace

Peer::Peer(Role role, api::SocketApi& api, const SideScenario& me, const SideScenario& peer, bool shutdown_after_eof,
           bool keepalive)
    : role_(role),
      api_(api),
      me_(me),
      pattern_(me.stream_key),
      verifier_(peer.stream_key, peer.bytes),
      shutdown_after_eof_(shutdown_after_eof),
      keepalive_(keepalive),
      random_(me.app_seed) {
    read_buffer_.resize(me.max_read);
}

bool Peer::start(int family, const api::SockAddr& address, Instant now) {
    const api::SysResult s = api_.socket(family, api::abi::kSockStream | api::abi::kSockNonblock, 0);
    if (!s) {
        fail("socket", s.error, now);
        return false;
    }
    const int fd = static_cast<int>(s.value);
    if (role_ == Role::kClient) {
        fd_ = fd;
        if (!set_options(fd_, now)) return false;
        if (auto r = api_.connect(fd_, address, now); !r && r.error != api::Errno::kInProgress) {
            fail("connect", r.error, now);
            return false;
        }
        return true;
    }
    listen_fd_ = fd;
    if (!set_options(listen_fd_, now)) return false;  // the accepted connection inherits them (sk_clone_lock())
    if (auto r = api_.bind(listen_fd_, address); !r) {
        fail("bind", r.error, now);
        return false;
    }
    if (auto r = api_.listen(listen_fd_, 1, now); !r) {
        fail("listen", r.error, now);
        return false;
    }
    return true;
}

bool Peer::service(Instant now) {
    if (closed_) return false;
    bool called = false;
    if (role_ == Role::kServer && fd_ < 0) {
        if ((api_.readiness(listen_fd_) & api::abi::kPollIn) == 0) return false;
        called = true;
        if (!accept_connection(now)) return true;
    }
    if (!connected_) {
        const std::uint32_t r = api_.readiness(fd_);
        if ((r & (api::abi::kPollOut | api::abi::kPollErr | api::abi::kPollHup)) == 0) return called;
        called = true;
        if (!finish_connect(now)) return true;
    }
    const std::uint32_t ready = api_.readiness(fd_);
    if (sent_ < me_.bytes && (ready & (api::abi::kPollOut | api::abi::kPollErr)) != 0) {
        called = true;
        write_some(now);
        if (closed_) return true;
    }
    if (!eof_ && (ready & (api::abi::kPollIn | api::abi::kPollErr | api::abi::kPollHup | api::abi::kPollRdhup)) != 0) {
        called = true;
        read_some(now);
        if (closed_) return true;
    }
    // shutdown(SHUT_WR) when the writes are done (and, if so ordered, the other side's stream has ended).
    if (!shut_wr_ && sent_ == me_.bytes && (!shutdown_after_eof_ || eof_)) {
        called = true;
        if (auto r = api_.shutdown(fd_, api::abi::kShutWr, now); !r) {
            fail("shutdown", r.error, now);
            return true;
        }
        shut_wr_ = true;
    }
    if (shut_wr_ && eof_) {
        called = true;
        close_all(now);
    }
    return called;
}

bool Peer::accept_connection(Instant now) {
    const api::SysResult a = api_.accept(listen_fd_, nullptr, now, api::abi::kSockNonblock);
    if (!a) {
        if (would_block(a.error)) return false;
        fail("accept", a.error, now);
        return false;
    }
    fd_ = static_cast<int>(a.value);
    connected_ = true;
    // One connection per run: the listener goes (Linux inet_csk_listen_stop() for anything else queued).
    (void)api_.close(listen_fd_, now);
    listen_fd_ = -1;
    return true;
}

// TCP_NODELAY as the scenario says; keepalive (SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT).
bool Peer::set_options(int fd, Instant now) {
    struct Option {
        int level;
        int name;
        int value;
        const char* text;
    };
    const Option options[] = {
        {api::abi::kSolTcp, api::abi::kTcpNodelay, 1, "setsockopt(TCP_NODELAY)"},
        {api::abi::kSolSocket, api::abi::kSoKeepalive, 1, "setsockopt(SO_KEEPALIVE)"},
        {api::abi::kSolTcp, api::abi::kTcpKeepidle, kKeepidle, "setsockopt(TCP_KEEPIDLE)"},
        {api::abi::kSolTcp, api::abi::kTcpKeepintvl, kKeepintvl, "setsockopt(TCP_KEEPINTVL)"},
        {api::abi::kSolTcp, api::abi::kTcpKeepcnt, kKeepcnt, "setsockopt(TCP_KEEPCNT)"},
    };
    for (const Option& o : options) {
        if (o.name == api::abi::kTcpNodelay ? !me_.nodelay : !keepalive_) continue;
        if (auto r = api_.setsockopt_int(fd, o.level, o.name, o.value, now); !r) {
            fail(o.text, r.error, now);
            return false;
        }
    }
    return true;
}

bool Peer::finish_connect(Instant now) {
    int so_error = 0;
    if (auto r = api_.getsockopt_int(fd_, api::abi::kSolSocket, api::abi::kSoError, so_error, now); !r) {
        fail("getsockopt(SO_ERROR)", r.error, now);
        return false;
    }
    if (so_error != 0) {
        fail("connect", static_cast<api::Errno>(so_error), now);
        return false;
    }
    if ((api_.readiness(fd_) & api::abi::kPollOut) == 0) return false;  // POLLHUP without an error: not yet
    connected_ = true;
    return true;
}

void Peer::write_some(Instant now) {
    while (sent_ < me_.bytes) {
        const std::uint64_t left = me_.bytes - sent_;
        const std::size_t size = static_cast<std::size_t>(std::min<std::uint64_t>(draw_size(me_.max_write), left));
        if (sent_ < chunk_offset_ || sent_ + size > chunk_offset_ + chunk_.size()) {
            chunk_offset_ = sent_;
            chunk_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(std::max(size, kChunk), left)));
            pattern_.fill(chunk_offset_, chunk_);
        }
        const wire::Bytes data(chunk_.data() + (sent_ - chunk_offset_), size);
        const api::SysResult r = api_.send(fd_, data, api::abi::kMsgNosignal, now);
        if (!r) {
            if (!would_block(r.error)) fail("send", r.error, now);
            return;
        }
        sent_ += static_cast<std::uint64_t>(r.value);
        if (static_cast<std::size_t>(r.value) < size) return;  // the send buffer is full
    }
}

void Peer::read_some(Instant now) {
    for (;;) {
        const std::size_t size = draw_size(me_.max_read);
        const api::SysResult r = api_.recv(fd_, wire::MutableBytes(read_buffer_.data(), size), 0, now);
        if (!r) {
            if (!would_block(r.error)) fail("recv", r.error, now);
            return;
        }
        if (r.value == 0) {
            eof_ = true;
            (void)verifier_.finish();
            return;
        }
        (void)verifier_.consume(wire::Bytes(read_buffer_.data(), static_cast<std::size_t>(r.value)));
    }
}

void Peer::fail(const char* call, api::Errno e, Instant now) {
    if (error_ == api::Errno::kOk) {
        error_ = e;
        failed_call_ = call;
    }
    close_all(now);
}

void Peer::abandon(Instant now) { close_all(now); }

void Peer::close_all(Instant now) {
    if (fd_ >= 0) (void)api_.close(fd_, now);
    if (listen_fd_ >= 0) (void)api_.close(listen_fd_, now);
    fd_ = -1;
    listen_fd_ = -1;
    closed_ = true;
}

std::string Peer::status() const {
    std::string s = fmt::format("sent {}/{} B, received {}/{} B", sent_, me_.bytes, verifier_.delivered(),
                                verifier_.expected_length());
    if (shut_wr_) s += ", shut down";
    if (eof_) s += ", read EOF";
    if (closed_) s += ", closed";
    if (failed()) s += fmt::format(", {} failed: {}", failed_call_, api::errno_name(error_));
    if (fd_ >= 0) {
        if (auto id = api_.connection_of(fd_)) {
            if (const tcp::Connection* c = api_.stack().connection(*id)) {
                s += fmt::format(", {}", tcp::to_string(c->state()));
            }
        }
    } else if (role_ == Role::kServer && !connected_ && !closed_) {
        s += ", no connection accepted";
    }
    return s;
}

}  // namespace synack::tools::gauntlet
