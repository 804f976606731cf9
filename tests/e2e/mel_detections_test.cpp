// `chorus mel --png --detections`: the detections `chorus predict` wrote for a recording drawn
// on its spectrogram, at the right seconds; a malformed table is an error naming its line.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "audio/audio_writer.hpp"
#include "plot/categorical_colours.hpp"
#include "support/png_picture.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using testing::run_chorus;
using testing::write_text;

TEST(MelDetections, BoxesLandOnTheirSecondsAndOnlyThisRecordingsAreDrawn) {
  testing::TempDir dir;
  const std::string wav = (dir / "dawn.wav").string();
  audio::write_audio(wav, testing::sine_sweep(32000, 3.0, 200, 12000), 32000);
  const auto table =
      write_text(dir / "detections.csv", "recording,class,start_s,end_s,score\n" + wav +
                                             ",wren,1.000,2.000,0.93\n"
                                             "other/dusk.wav,robin,0.000,3.000,0.80\n");
  const auto r =
      run_chorus({"mel", wav, "--png", (dir / "m.png").string(), "--detections", table.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");

  // 3 s of 500-sample hops at 32 kHz: 193 frames, stretched to 4 pixels each, 256 pixels a
  // second. The wren box's two-pixel edges are one second apart; robin is another file's.
  const testing::Picture picture = testing::read_png(dir / "m.png");
  const plot::Rgb wren = plot::categorical_colour(0);
  std::set<int> columns;
  for (int x = 0; x < picture.width; ++x) {
    if (picture.at(x, picture.height / 2) == wren) columns.insert(x);
    for (int y = 0; y < picture.height; ++y)
      ASSERT_NE(picture.at(x, y), plot::categorical_colour(1)) << x << ", " << y;
  }
  ASSERT_EQ(columns.size(), 4u);
  const int left = *columns.begin();
  EXPECT_EQ(columns, (std::set<int>{left, left + 1, left + 254, left + 255}));
}

TEST(MelDetections, BadTablesAndOptionsExitTwo) {
  testing::TempDir dir;
  const std::string wav = (dir / "dawn.wav").string();
  audio::write_audio(wav, testing::sine(32000, 1.0, 1000, 0.5), 32000);
  const auto table = write_text(dir / "detections.csv",
                                "recording,class,start_s,end_s,score\n"
                                "dawn.wav,wren,0.5,1.0,0.9\n"
                                "dawn.wav,wren,0.5,soon,0.9\n");
  const auto bad =
      run_chorus({"mel", wav, "--png", (dir / "m.png").string(), "--detections", table.string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err,
            "error: " + table.string() + ":3: column 'end_s': 'soon' is not a finite number\n");
  EXPECT_FALSE(std::filesystem::exists(dir / "m.png"));

  const auto no_png =
      run_chorus({"mel", wav, "--npy", (dir / "m.npy").string(), "--detections", table.string()});
  EXPECT_EQ(no_png.exit_code, 2);
  EXPECT_NE(no_png.err.find("--detections draws on the picture: give --png OUT.png too"),
            std::string::npos)
      << no_png.err;

  // A recording without detections is drawn plain, with a warning.
  const auto none = write_text(dir / "none.csv", "recording,class,start_s,end_s,score\n");
  const auto plain =
      run_chorus({"mel", wav, "--png", (dir / "m.png").string(), "--detections", none.string()});
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(plain.err, "warning: " + none.string() + " has no detections of " + wav + "\n");
  EXPECT_TRUE(std::filesystem::exists(dir / "m.png"));
}

}  // namespace
}  // namespace chorus
