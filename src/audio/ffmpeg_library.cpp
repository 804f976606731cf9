#include "audio/ffmpeg_library.hpp"

extern "C" {
#include <libavutil/log.h>
}
#include <dlfcn.h>
#include <fmt/format.h>

#include <array>
#include <mutex>
#include <optional>

#include "core/error.hpp"

namespace chorus::audio {
namespace {

#define CHORUS_STRINGIFY_VALUE(x) #x
#define CHORUS_STRINGIFY(x) CHORUS_STRINGIFY_VALUE(x)
constexpr const char* kAvcodec = "libavcodec.so." CHORUS_STRINGIFY(LIBAVCODEC_VERSION_MAJOR);
constexpr const char* kAvutil = "libavutil.so." CHORUS_STRINGIFY(LIBAVUTIL_VERSION_MAJOR);

struct Loaded {
  std::optional<FfmpegLibrary> library;
  std::string problem;  // why it could not be loaded
};

// `name` from `handle` as a pointer of F's type; false (and `problem` set) where it is missing.
template <typename F>
bool resolve(void* handle, const char* name, F& function, std::string& problem) {
  function = reinterpret_cast<F>(::dlsym(handle, name));
  if (function == nullptr) problem = fmt::format("no symbol {}", name);
  return function != nullptr;
}

Loaded load() {
  Loaded loaded;
  // Never closed: the decoders of a process use them until it ends.
  void* avutil = ::dlopen(kAvutil, RTLD_NOW | RTLD_LOCAL);
  void* avcodec = avutil ? ::dlopen(kAvcodec, RTLD_NOW | RTLD_LOCAL) : nullptr;
  if (avcodec == nullptr) {
    const char* error = ::dlerror();
    loaded.problem = error ? error : "not found";
    return loaded;
  }
  FfmpegLibrary f{};
  std::string& p = loaded.problem;
  decltype(&::av_log_set_level) set_log_level = nullptr;
  const bool all = resolve(avcodec, "avcodec_find_decoder", f.find_decoder, p) &&
                   resolve(avcodec, "avcodec_alloc_context3", f.alloc_context, p) &&
                   resolve(avcodec, "avcodec_free_context", f.free_context, p) &&
                   resolve(avcodec, "avcodec_open2", f.open, p) &&
                   resolve(avcodec, "avcodec_send_packet", f.send_packet, p) &&
                   resolve(avcodec, "avcodec_receive_frame", f.receive_frame, p) &&
                   resolve(avcodec, "avcodec_flush_buffers", f.flush_buffers, p) &&
                   resolve(avcodec, "av_packet_alloc", f.packet_alloc, p) &&
                   resolve(avcodec, "av_packet_free", f.packet_free, p) &&
                   resolve(avutil, "av_frame_alloc", f.frame_alloc, p) &&
                   resolve(avutil, "av_frame_free", f.frame_free, p) &&
                   resolve(avutil, "av_mallocz", f.mallocz, p) &&
                   resolve(avutil, "av_strerror", f.strerror, p) &&
                   resolve(avutil, "av_log_set_level", set_log_level, p);
  if (!all) return loaded;
  set_log_level(AV_LOG_QUIET);
  loaded.library = f;
  return loaded;
}

// The library, loaded by the first caller (the others wait for it).
const Loaded& loaded_once() {
  static std::once_flag once;
  static Loaded loaded;
  std::call_once(once, [] { loaded = load(); });
  return loaded;
}

}  // namespace

const FfmpegLibrary& ffmpeg_library(const std::string& file) {
  const Loaded& loaded = loaded_once();
  CHORUS_CHECK(loaded.library.has_value(),
               "{}: cannot decode Ogg Vorbis: FFmpeg's {} (Debian package libavcodec{}) cannot be "
               "loaded: {}",
               file, kAvcodec, LIBAVCODEC_VERSION_MAJOR, loaded.problem);
  return *loaded.library;
}

void load_ffmpeg_library() { static_cast<void>(loaded_once()); }

std::string ffmpeg_error(const FfmpegLibrary& ffmpeg, int code) {
  std::array<char, AV_ERROR_MAX_STRING_SIZE> text{};
  ffmpeg.strerror(code, text.data(), text.size());
  return text.data();
}

}  // namespace chorus::audio
