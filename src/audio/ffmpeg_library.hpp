#pragma once
// FFmpeg's Vorbis decoder (libavcodec and libavutil), loaded when the first Ogg Vorbis file is
// opened. Linked into chorus, libavcodec would bring every codec FFmpeg has (about 80 libraries,
// some with static initialisers) into each start of the program: 22 ms before main, also for the
// commands and files that never decode Vorbis (BENCHMARKS.md "Start-up"). The headers give the
// types and the layouts; the library of the same major version gives the functions.

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/mem.h>
}

#include <string>

namespace chorus::audio {

struct FfmpegLibrary {
  decltype(&::avcodec_find_decoder) find_decoder;
  decltype(&::avcodec_alloc_context3) alloc_context;
  decltype(&::avcodec_free_context) free_context;
  decltype(&::avcodec_open2) open;
  decltype(&::avcodec_send_packet) send_packet;
  decltype(&::avcodec_receive_frame) receive_frame;
  decltype(&::avcodec_flush_buffers) flush_buffers;
  decltype(&::av_packet_alloc) packet_alloc;
  decltype(&::av_packet_free) packet_free;
  decltype(&::av_frame_alloc) frame_alloc;
  decltype(&::av_frame_free) frame_free;
  decltype(&::av_mallocz) mallocz;
  decltype(&::av_strerror) strerror;
};

// The functions, loaded on the first call (FFmpeg's own logging silenced: chorus's library never
// prints). An Error naming `file` and the library when it cannot be loaded.
const FfmpegLibrary& ffmpeg_library(const std::string& file);

// Loads the library now, if no call has (ffmpeg_library then says whether it could be loaded).
void load_ffmpeg_library();

// FFmpeg's text for an error code.
std::string ffmpeg_error(const FfmpegLibrary& ffmpeg, int code);

}  // namespace chorus::audio
