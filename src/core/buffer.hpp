#pragma once
// Storage for large sample and spectrogram buffers (a 40-minute recording is 300 MB of floats).
// Two costs of std::vector<float> dominate there and both are avoidable:
//   - resize() zero-fills memory that the decoder or the STFT overwrites anyway (0.16 s for a
//     40-minute file, on one thread, before any work starts): elements are default-initialised,
//     i.e. left as they are, unless a value is given (resize(n, 0.0f));
//   - fresh memory faults in 4 KiB at a time (75 000 faults for that file): buffers of 4 MiB and
//     more are 2 MiB-aligned and marked for transparent huge pages.

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

namespace chorus::core {

template <class T>
struct BufferAllocator {
  using value_type = T;

  BufferAllocator() = default;
  template <class U>
  BufferAllocator(const BufferAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugeThreshold) return std::allocator<T>().allocate(n);
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (p == nullptr) throw std::bad_alloc();
    ::madvise(p, rounded, MADV_HUGEPAGE);  // advice only: failure changes nothing but speed
    return static_cast<T*>(p);
  }

  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < kHugeThreshold) std::allocator<T>().deallocate(p, n);
    else std::free(p);
  }

  // Default-initialisation: no zero-fill for arithmetic types.
  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }

  template <class U>
  bool operator==(const BufferAllocator<U>&) const noexcept { return true; }

 private:
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;
  static constexpr std::size_t kHugeThreshold = std::size_t{4} << 20;
};

template <class T>
using Buffer = std::vector<T, BufferAllocator<T>>;

}  // namespace chorus::core
