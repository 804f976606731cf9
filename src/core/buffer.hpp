#pragma once
// Storage for large sample and spectrogram buffers (a 40-minute recording is 300 MB of floats).
// std::vector<float>::resize() zero-fills memory that the decoder or the STFT overwrites anyway:
// 0.16 s for a 40-minute file, on one thread, before any work starts. Here elements are
// default-initialised, i.e. left as they are, unless a value is given (resize(n, 0.0f)), and the
// first touch happens in the (parallel) code that fills them.
//
// Transparent huge pages were tried (MADV_HUGEPAGE) and rejected: with the kernel's
// defrag=madvise setting the first fault of a fresh process stalls in compaction (1.1 s for
// 460 MB here, against 0.2 s of ordinary faults).

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

namespace chorus::core {

template <class T>
struct BufferAllocator {
  using value_type = T;

  BufferAllocator() = default;
  template <class U>
  BufferAllocator(const BufferAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) { return std::allocator<T>().allocate(n); }
  void deallocate(T* p, std::size_t n) noexcept { std::allocator<T>().deallocate(p, n); }

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
  bool operator==(const BufferAllocator<U>&) const noexcept {
    return true;
  }
};

template <class T>
using Buffer = std::vector<T, BufferAllocator<T>>;

}  // namespace chorus::core
