#include "tools/drill/synack_backend.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <numeric>
#include <span>

#include "api/abi.hpp"
#include "stack/sysctl_table.hpp"

namespace synack::drill {

namespace {

constexpr std::int64_t kNsPerUs = 1000;

Usecs usecs_ceil(Instant t) {
    const std::int64_t ns = t.time_since_epoch().count();
    return ns >= 0 ? (ns + kNsPerUs - 1) / kNsPerUs : ns / kNsPerUs;
}

CallOutcome outcome_of(const api::SysResult& r) {
    CallOutcome o;
    o.ret = r.ok() ? r.value : -1;
    o.error = r.ok() ? 0 : static_cast<int>(r.error);
    return o;
}

std::size_t total_length(const Call& c) {
    return std::accumulate(c.lengths.begin(), c.lengths.end(), std::size_t{0});
}

bool is_read(CallOp op) { return op == CallOp::kRead || op == CallOp::kRecv || op == CallOp::kReadv; }
bool is_write(CallOp op) {
    return op == CallOp::kWrite || op == CallOp::kSend || op == CallOp::kSendto || op == CallOp::kWritev;
}

constexpr int kEagain = static_cast<int>(api::Errno::kAgain);
constexpr int kEinprogress = static_cast<int>(api::Errno::kInProgress);

}  // namespace

// Records every packet the stack transmits, with the virtual time it left.
class SynackBackend::Recorder final : public stack::PacketSink {
public:
    explicit Recorder(const Usecs& now) : now_(now) {}
    void transmit(stack::InterfaceId, wire::Bytes packet) override {
        Happening h;
        h.kind = Happening::Kind::kPacket;
        h.at = now_;
        h.packet.assign(packet.begin(), packet.end());
        sent_.push_back(std::move(h));
    }
    std::deque<Happening>& sent() noexcept { return sent_; }

private:
    const Usecs& now_;
    std::deque<Happening> sent_;
};

SynackBackend::SynackBackend(std::uint64_t seed) : seed_(seed) {}

SynackBackend::~SynackBackend() { finish(); }

Instant SynackBackend::instant() const noexcept { return Instant{Duration{now_ * kNsPerUs}}; }

Result<void, std::string> SynackBackend::start(const NetworkSettings& network) {
    teardown();  // the settings made since the last finish() stay: they are this script's
    now_ = 0;
    recorder_ = std::make_unique<Recorder>(now_);
    stack_ = std::make_unique<stack::Stack>(config_, *recorder_, seed_);
    interface_ = stack_->add_interface("tun0", network.mtu);
    if (!stack_->add_address(interface_, network.local_ip, network.prefix_len)) {
        teardown();
        return Err{"cannot give tun0 the address " + network.local_ip.to_string() + "/" +
                   std::to_string(network.prefix_len)};
    }
    const bool v4 = network.local_ip.is_v4();
    const wire::IpAddress any = v4 ? wire::IpAddress(wire::Ipv4Address{}) : wire::IpAddress(wire::Ipv6Address{});
    if (!stack_->add_route(any, 0, interface_, network.gateway_ip)) {
        teardown();
        return Err{"cannot route through the gateway " + network.gateway_ip.to_string()};
    }
    api_ = std::make_unique<api::SocketApi>(*stack_);
    return {};
}

void SynackBackend::finish() {
    teardown();
    config_ = stack::StackConfig{};
}

void SynackBackend::teardown() {
    if (api_) {
        // What the script left open is closed, as a process's exit closes its descriptors.
        for (int fd = 0; fd < 3 + 1024 && api_->open_count() > 0; ++fd) {
            if (api_->is_open(fd)) (void)api_->close(fd, instant());
        }
    }
    api_.reset();
    stack_.reset();
    recorder_.reset();
    blocked_.reset();
    done_.reset();
    changed_ = false;
}

SettingOutcome SynackBackend::set_sysctl(std::string_view name, std::string_view value) {
    stack::StackConfig& config = stack_ ? stack_->config() : config_;
    stack::SysctlResult r = stack::set_sysctl(config, name, value);
    if (stack_ && r.status == stack::SysctlResult::Status::kApplied) config_ = stack_->config();
    SettingOutcome o;
    switch (r.status) {
        case stack::SysctlResult::Status::kApplied: o.status = SettingOutcome::Status::kApplied; break;
        case stack::SysctlResult::Status::kUnsupported: o.status = SettingOutcome::Status::kUnsupported; break;
        case stack::SysctlResult::Status::kInvalid: o.status = SettingOutcome::Status::kInvalid; break;
    }
    o.message = std::move(r.message);
    return o;
}

Result<void, std::string> SynackBackend::inject(wire::Bytes packet) {
    if (!stack_) return Err{std::string("no stack: start() was not called")};
    stack_->receive(interface_, packet, instant());
    api_->dispatch();
    return {};
}

void SynackBackend::watch(int fd) {
    api_->set_readiness_callback(fd, [this](int, std::uint32_t) { changed_ = true; });
}

CallOutcome SynackBackend::attempt(const Call& c, std::int64_t already_written) {
    api::SocketApi& api = *api_;
    const Instant t = instant();
    switch (c.op) {
        case CallOp::kSocket: {
            const api::SysResult r = api.socket(c.domain, c.type, c.protocol);
            if (r.ok()) watch(static_cast<int>(r.value));
            return outcome_of(r);
        }
        case CallOp::kBind:
            if (!c.address) return outcome_of(api::SysResult::failure(api::Errno::kFault));
            return outcome_of(api.bind(c.fd, *c.address));
        case CallOp::kListen: return outcome_of(api.listen(c.fd, c.backlog, t));
        case CallOp::kAccept: {
            api::SockAddr peer;
            const api::SysResult r = api.accept(c.fd, &peer, t, c.flags);
            if (r.ok()) watch(static_cast<int>(r.value));
            return outcome_of(r);
        }
        case CallOp::kConnect:
            if (!c.address) return outcome_of(api::SysResult::failure(api::Errno::kFault));
            return outcome_of(api.connect(c.fd, *c.address, t));
        case CallOp::kRead:
        case CallOp::kRecv:
        case CallOp::kReadv: {
            // readv() on a stream socket reads as one read of the buffers' total (payload bytes are not checked).
            std::vector<std::uint8_t> buffer(c.op == CallOp::kReadv ? total_length(c)
                                                                     : (c.lengths.empty() ? 0 : c.lengths[0]));
            const int flags = c.op == CallOp::kRecv ? c.flags : 0;
            return outcome_of(api.recv(c.fd, buffer, flags, t));
        }
        case CallOp::kWrite:
        case CallOp::kSend:
        case CallOp::kSendto:
        case CallOp::kWritev: {
            // TCP ignores sendto()'s address on a connected socket (tcp_sendmsg() without MSG_FASTOPEN).
            const std::size_t total = c.op == CallOp::kWritev ? total_length(c) : (c.lengths.empty() ? 0 : c.lengths[0]);
            const std::vector<std::uint8_t> zeros(total - static_cast<std::size_t>(already_written), 0);
            const int flags = (c.op == CallOp::kSend || c.op == CallOp::kSendto) ? c.flags : 0;
            return outcome_of(api.send(c.fd, zeros, flags, t));
        }
        case CallOp::kClose: return outcome_of(api.close(c.fd, t));
        case CallOp::kShutdown: return outcome_of(api.shutdown(c.fd, c.how, t));
        case CallOp::kSetsockopt: return outcome_of(api.setsockopt(c.fd, c.level, c.option, c.option_value, t));
        case CallOp::kGetsockopt: {
            std::vector<std::uint8_t> value(static_cast<std::size_t>(std::max(c.option_length, 0)), 0);
            int length = c.option_length;
            CallOutcome o = outcome_of(api.getsockopt(c.fd, c.level, c.option, value, length, t));
            o.option_length = length;
            if (o.error == 0) {
                value.resize(static_cast<std::size_t>(std::clamp(length, 0, static_cast<int>(value.size()))));
                o.option_value = std::move(value);
            }
            return o;
        }
        case CallOp::kFcntl: return outcome_of(api.fcntl(c.fd, c.command, c.argument));
        case CallOp::kPoll: {
            std::vector<api::PollFd> fds = c.poll_fds;
            CallOutcome o = outcome_of(api.poll(fds));
            o.poll_fds = std::move(fds);
            return o;
        }
        case CallOp::kIoctl: {
            int value = c.ioctl_value;
            CallOutcome o = outcome_of(api.ioctl(c.fd, c.request, value));
            o.ioctl_value = value;
            return o;
        }
    }
    return outcome_of(api::SysResult::failure(api::Errno::kInval));
}

bool SynackBackend::would_block(const Call& c, const CallOutcome& o) const {
    if (c.op == CallOp::kPoll) return o.ret == 0 && c.timeout_ms != 0;
    const bool nonblocking = api_->nonblocking(c.fd) ||
                             ((c.op == CallOp::kRecv || c.op == CallOp::kSend || c.op == CallOp::kSendto) &&
                              (c.flags & api::abi::kMsgDontwait) != 0);
    if (nonblocking) return false;
    if (c.op == CallOp::kConnect) return o.error == kEinprogress;
    if (c.op == CallOp::kAccept || is_read(c.op) || is_write(c.op)) return o.error == kEagain;
    return false;
}

std::optional<CallOutcome> SynackBackend::call(const Call& c) {
    if (!api_) return outcome_of(api::SysResult::failure(api::Errno::kBadF));
    CallOutcome o = attempt(c);
    if (!would_block(c, o)) {
        // A blocking write queues everything before it returns (sk_stream_wait_memory()).
        if (is_write(c.op) && o.error == 0 && !api_->nonblocking(c.fd) &&
            (c.op == CallOp::kWrite || c.op == CallOp::kWritev || (c.flags & api::abi::kMsgDontwait) == 0)) {
            const std::size_t total = c.op == CallOp::kWritev ? total_length(c) : (c.lengths.empty() ? 0 : c.lengths[0]);
            if (static_cast<std::size_t>(o.ret) < total) {
                blocked_ = Blocked{c, std::nullopt, o.ret};
                changed_ = false;
                return std::nullopt;
            }
        }
        return o;
    }
    blocked_ = Blocked{c, std::nullopt, 0};
    if (c.op == CallOp::kPoll && c.timeout_ms > 0) blocked_->until = now_ + std::int64_t{c.timeout_ms} * 1000;
    changed_ = false;
    return std::nullopt;
}

void SynackBackend::complete(CallOutcome outcome) {
    Happening h;
    h.kind = Happening::Kind::kCallDone;
    h.at = now_;
    h.outcome = std::move(outcome);
    done_ = std::move(h);
    blocked_.reset();
}

bool SynackBackend::retry() {
    Blocked& b = *blocked_;
    const Call& c = b.call;
    if (c.op == CallOp::kConnect) {
        // inet_wait_for_connect() ends when the handshake completes or fails; the error is sock_error()'s,
        // which SO_ERROR reads (and clears) too.
        const std::uint32_t ready = api_->readiness(c.fd);
        if ((ready & (api::abi::kPollOut | api::abi::kPollErr | api::abi::kPollHup)) == 0) return false;
        int error = 0;
        (void)api_->getsockopt_int(c.fd, api::abi::kSolSocket, api::abi::kSoError, error, instant());
        complete(error == 0 ? CallOutcome{} : CallOutcome{-1, error, {}, 0, {}, 0});
        return true;
    }
    if (c.op == CallOp::kPoll) {
        CallOutcome o = attempt(c);
        if (o.ret != 0 || (b.until && now_ >= *b.until)) {
            complete(std::move(o));
            return true;
        }
        return false;
    }
    CallOutcome o = attempt(c, b.written);
    if (is_write(c.op)) {
        if (o.error == kEagain) return false;
        if (o.error != 0) {
            // An error after some bytes were queued returns the count (tcp_sendmsg()'s "copied").
            complete(b.written > 0 ? CallOutcome{b.written, 0, {}, 0, {}, 0} : std::move(o));
            return true;
        }
        b.written += o.ret;
        const std::size_t total = c.op == CallOp::kWritev ? total_length(c) : (c.lengths.empty() ? 0 : c.lengths[0]);
        if (static_cast<std::size_t>(b.written) < total) return false;
        complete(CallOutcome{b.written, 0, {}, 0, {}, 0});
        return true;
    }
    if (o.error == kEagain) return false;
    complete(std::move(o));
    return true;
}

Happening SynackBackend::wait(Usecs deadline) {
    Happening idle;
    idle.kind = Happening::Kind::kDeadline;
    if (!stack_) {
        now_ = std::max(now_, deadline);
        idle.at = now_;
        return idle;
    }
    std::deque<Happening>& sent = recorder_->sent();
    int stuck = 0;  // timer rounds at one instant that changed nothing (a guard against a timer that never clears)
    while (true) {
        if (!sent.empty()) {
            Happening h = std::move(sent.front());
            sent.pop_front();
            return h;
        }
        if (done_) {
            Happening h = std::move(*done_);
            done_.reset();
            return h;
        }
        if (blocked_ && (changed_ || (blocked_->until && now_ >= *blocked_->until))) {
            changed_ = false;
            if (retry()) continue;
        }
        // Time runs to the first of: the deadline, the stack's next timer, a blocked poll's timeout.
        Usecs next = std::max(now_, deadline);
        const std::optional<Instant> timer = stack_->next_deadline();
        const bool timer_first = timer && stuck < 16 && usecs_ceil(*timer) <= next;
        if (timer_first) next = std::max(now_, usecs_ceil(*timer));
        if (blocked_ && blocked_->until && *blocked_->until < next) next = std::max(now_, *blocked_->until);
        if (next == now_ && !timer_first && !(blocked_ && blocked_->until && now_ >= *blocked_->until)) {
            idle.at = now_;
            return idle;  // the deadline, with nothing left to do at it
        }
        stuck = next == now_ ? stuck + 1 : 0;
        now_ = next;
        if (timer_first) {
            stack_->on_timer(instant());
            api_->dispatch();
        }
        if (blocked_ && blocked_->until && now_ >= *blocked_->until) changed_ = true;  // poll's timeout: last look
    }
}

std::optional<tcp::TcpInfo> SynackBackend::tcp_info(int fd) {
    if (!api_) return std::nullopt;
    std::array<std::uint8_t, sizeof(tcp::TcpInfo)> bytes{};
    int length = static_cast<int>(bytes.size());
    const api::SysResult r = api_->getsockopt(fd, api::abi::kSolTcp, api::abi::kTcpInfo, bytes, length, instant());
    if (!r.ok()) return std::nullopt;
    tcp::TcpInfo info;
    std::memcpy(&info, bytes.data(), std::min<std::size_t>(static_cast<std::size_t>(length), sizeof info));
    return info;
}

}  // namespace synack::drill
