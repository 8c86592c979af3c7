// The descriptor table (lowest free number first, as Linux's alloc_fd()), the maps from the stack's handles to
// descriptors, and readiness: the stack's events mark descriptors, dispatch() calls their callbacks.
#include <algorithm>

#include "api/socket_entry.hpp"

namespace synack::api {

SocketApi::SocketApi(stack::Stack& stack, SocketApiConfig config) : stack_(stack), config_(config) {
    stack_.set_event_handler(this);
}

SocketApi::~SocketApi() { stack_.set_event_handler(nullptr); }

SocketApi::Entry* SocketApi::entry(int fd) const noexcept {
    if (fd < config_.first_fd) return nullptr;
    const auto i = static_cast<std::size_t>(fd - config_.first_fd);
    return i < table_.size() ? table_[i].get() : nullptr;
}

Result<int, Errno> SocketApi::allocate(std::unique_ptr<Entry> e) {
    if (open_ >= static_cast<std::size_t>(std::max(config_.max_fds - config_.first_fd, 0))) return Err{Errno::kMFile};
    int fd;
    if (!free_fds_.empty()) {
        fd = free_fds_.top();
        free_fds_.pop();
    } else {
        fd = config_.first_fd + static_cast<int>(table_.size());
        table_.emplace_back();
    }
    e->fd = fd;
    table_[static_cast<std::size_t>(fd - config_.first_fd)] = std::move(e);
    ++open_;
    return fd;
}

void SocketApi::release_fd(int fd) {
    table_[static_cast<std::size_t>(fd - config_.first_fd)].reset();
    free_fds_.push(fd);
    --open_;
}

bool SocketApi::nonblocking(int fd) const noexcept {
    const Entry* e = entry(fd);
    return e != nullptr && e->nonblocking();
}

std::optional<stack::ConnectionId> SocketApi::connection_of(int fd) const noexcept {
    const Entry* e = entry(fd);
    if (e == nullptr || !e->has_connection()) return std::nullopt;
    return e->connection;
}

void SocketApi::map_connection(Entry& e, stack::ConnectionId id) {
    e.connection = id;
    by_connection_[handle_key(id.index, id.generation)] = e.fd;
}

void SocketApi::unmap_connection(Entry& e) {
    by_connection_.erase(handle_key(e.connection.index, e.connection.generation));
    e.connection = {};
}

void SocketApi::map_listener(Entry& e, stack::ListenerId id) {
    e.listener = id;
    by_listener_[handle_key(id.index, id.generation)] = e.fd;
}

void SocketApi::unmap_listener(Entry& e) {
    by_listener_.erase(handle_key(e.listener.index, e.listener.generation));
    e.listener = {};
}

// ---- Readiness ----

void SocketApi::mark(Entry& e) {
    if (e.pending || !e.callback) return;
    e.pending = true;
    pending_.push_back(e.fd);
}

void SocketApi::on_connection_event(stack::ConnectionId connection, std::uint8_t events) {
    (void)events;  // the callback gets the whole poll mask
    auto it = by_connection_.find(handle_key(connection.index, connection.generation));
    if (it == by_connection_.end()) return;
    if (Entry* e = entry(it->second)) mark(*e);
}

void SocketApi::on_listener_event(stack::ListenerId listener, std::uint8_t events) {
    (void)events;
    auto it = by_listener_.find(handle_key(listener.index, listener.generation));
    if (it == by_listener_.end()) return;
    if (Entry* e = entry(it->second)) mark(*e);
}

void SocketApi::set_readiness_callback(int fd, ReadinessCallback callback) {
    if (Entry* e = entry(fd)) e->callback = std::move(callback);
}

void SocketApi::dispatch() {
    if (dispatching_) return;  // a callback's own calls: the loop below picks up what they mark
    dispatching_ = true;
    std::vector<int> batch;
    while (!pending_.empty()) {
        batch.swap(pending_);
        for (int fd : batch) {
            Entry* e = entry(fd);
            if (e == nullptr || !e->pending) continue;
            e->pending = false;
            if (!e->callback) continue;
            ReadinessCallback callback = e->callback;  // the callback may close the descriptor
            callback(fd, poll_mask(*e));
        }
        batch.clear();
    }
    dispatching_ = false;
}

SysResult SocketApi::finish(SysResult r) {
    dispatch();
    return r;
}

}  // namespace synack::api
