// A small result type: a value or an error, never an exception on the packet path.
// (libstdc++ 12's std::expected does not compile under Clang 14, so we keep our own.)
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace synack {

// Wraps an error so a Result<T, E> can be built from it even when T and E convert into each other.
template <typename E>
struct Err {
    E value;
};
template <typename E>
Err(E) -> Err<E>;

template <typename T, typename E>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
    Result(Err<E> err) : v_(std::in_place_index<1>, std::move(err.value)) {}  // NOLINT

    bool ok() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { assert(ok()); return *std::get_if<0>(&v_); }
    const T& value() const& { assert(ok()); return *std::get_if<0>(&v_); }
    T&& value() && { assert(ok()); return std::move(*std::get_if<0>(&v_)); }
    const E& error() const { assert(!ok()); return *std::get_if<1>(&v_); }

    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    template <typename U>
    T value_or(U&& fallback) const& { return ok() ? value() : static_cast<T>(std::forward<U>(fallback)); }

private:
    std::variant<T, E> v_;
};

// Result<void, E>: success or an error.
template <typename E>
class [[nodiscard]] Result<void, E> {
public:
    Result() = default;
    Result(Err<E> err) : err_(std::move(err.value)), ok_(false) {}  // NOLINT

    bool ok() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }
    const E& error() const { assert(!ok_); return err_; }

private:
    E err_{};
    bool ok_ = true;
};

}  // namespace synack
