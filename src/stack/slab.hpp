// Objects of one type in chunks of 1,024, addressed by a 32-bit index: an object never moves (timers and queues
// may point at it), a freed slot is reused by the next emplace() (most recently freed first, while it is still in
// the cache), and the only memory beyond the objects themselves is one bit per slot. A free slot holds the link
// of the free list and a 32-bit tag its owner left there (the stack keeps a handle generation in it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace synack::stack {

template <typename T>
class Slab {
public:
    static constexpr unsigned kChunkShift = 10;
    static constexpr std::uint32_t kChunkSize = 1u << kChunkShift;
    static constexpr std::uint32_t kNone = 0xffffffffu;

    Slab() = default;
    Slab(const Slab&) = delete;
    Slab& operator=(const Slab&) = delete;
    ~Slab() {
        for (std::uint32_t i = 0; i < capacity(); ++i) {
            if (live(i)) cell(i)->object()->~T();
        }
        for (Cell* chunk : chunks_) ::operator delete(chunk, std::align_val_t{alignof(Cell)});
    }

    struct Placed {
        std::uint32_t index;
        std::uint32_t tag;  // what erase() left in the slot; 0 for a slot never used
        T* object;
    };

    // Constructs a T in a free slot (or a new one).
    template <typename... Args>
    Placed emplace(Args&&... args) {
        std::uint32_t index;
        std::uint32_t tag = 0;
        if (free_ != kNone) {
            index = free_;
            Cell* c = cell(index);
            tag = c->free.tag;
            const std::uint32_t next = c->free.next;  // read before the object is built over it
            T* object = ::new (c->storage) T(std::forward<Args>(args)...);
            free_ = next;
            mark(index, true);
            ++size_;
            return {index, tag, object};
        }
        index = capacity();
        if ((index & (kChunkSize - 1)) == 0) grow();
        T* object = ::new (cell(index)->storage) T(std::forward<Args>(args)...);
        ++end_;
        mark(index, true);
        ++size_;
        return {index, tag, object};
    }

    // Destroys the object in slot `index` and leaves `tag` in the slot.
    void erase(std::uint32_t index, std::uint32_t tag = 0) noexcept {
        Cell* c = cell(index);
        c->object()->~T();
        c->free.next = free_;
        c->free.tag = tag;
        free_ = index;
        mark(index, false);
        --size_;
    }

    bool live(std::uint32_t index) const noexcept {
        return index < end_ && ((live_[index >> 6] >> (index & 63)) & 1u) != 0;
    }
    // The object in a live slot.
    T* at(std::uint32_t index) const noexcept { return cell(index)->object(); }
    // The object in slot `index` if it is live, else null.
    T* find(std::uint32_t index) const noexcept { return live(index) ? at(index) : nullptr; }

    std::size_t size() const noexcept { return size_; }
    std::uint32_t capacity() const noexcept { return end_; }
    // Chunks and the live bits.
    std::size_t memory_bytes() const noexcept {
        return chunks_.size() * (sizeof(Cell) * kChunkSize + sizeof(Cell*)) + live_.size() * sizeof(std::uint64_t);
    }

    template <typename F>
    void for_each(F&& f) const {
        for (std::uint32_t i = 0; i < end_; ++i) {
            if (live(i)) f(*at(i));
        }
    }

private:
    struct FreeLink {
        std::uint32_t next;
        std::uint32_t tag;
    };
    struct Cell {
        union {
            FreeLink free;
            alignas(T) unsigned char storage[sizeof(T)];
        };
        T* object() noexcept { return std::launder(reinterpret_cast<T*>(storage)); }
        const T* object() const noexcept { return std::launder(reinterpret_cast<const T*>(storage)); }
    };
    static_assert(sizeof(T) >= sizeof(FreeLink), "a free slot holds its link in the object's place");

    Cell* cell(std::uint32_t index) const noexcept {
        return chunks_[index >> kChunkShift] + (index & (kChunkSize - 1));
    }
    void grow() {
        chunks_.reserve(chunks_.size() + 1);
        auto* chunk = static_cast<Cell*>(::operator new(sizeof(Cell) * kChunkSize, std::align_val_t{alignof(Cell)}));
        chunks_.push_back(chunk);
        live_.resize((std::size_t{end_} + kChunkSize + 63) / 64, 0);
    }
    void mark(std::uint32_t index, bool on) noexcept {
        const std::uint64_t bit = std::uint64_t{1} << (index & 63);
        if (on) live_[index >> 6] |= bit;
        else live_[index >> 6] &= ~bit;
    }

    std::vector<Cell*> chunks_;
    std::vector<std::uint64_t> live_;
    std::uint32_t end_ = 0;  // slots ever used: [0, end_)
    std::uint32_t free_ = kNone;
    std::size_t size_ = 0;
};

}  // namespace synack::stack
