// The text of the packets being printed: appended to one reused buffer, written out in large blocks.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string_view>

#include <fmt/format.h>

namespace synack::dump {

class Output {
public:
    void put(char c) { buffer_.push_back(c); }
    void put(std::string_view s) { buffer_.append(s.data(), s.data() + s.size()); }
    template <typename... Args>
    void print(fmt::format_string<Args...> format, Args&&... args) {
        fmt::format_to(std::back_inserter(buffer_), format, std::forward<Args>(args)...);
    }
    // Fast paths for the numbers printed most often.
    void put_uint(std::uint64_t v);
    void put_hex2(std::uint8_t v);  // two lowercase hex digits
    // tcpdump's fn_print_char: non-ASCII as "M-", control characters as "^X".
    void put_safe_char(std::uint8_t c);

    std::size_t size() const noexcept { return buffer_.size(); }
    std::string_view view() const noexcept { return {buffer_.data(), buffer_.size()}; }
    void truncate(std::size_t n) { buffer_.resize(n); }
    void clear() { buffer_.clear(); }

    // Writes the buffer to `f` when it holds at least `threshold` bytes; returns false on a write error.
    bool flush_to(std::FILE* f, std::size_t threshold = 0);

private:
    fmt::memory_buffer buffer_;
};

}  // namespace synack::dump
