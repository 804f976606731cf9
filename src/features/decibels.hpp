#pragma once
// Power (or magnitude) to decibels as torchaudio.transforms.AmplitudeToDB does it:
// multiplier·log10(max(x, amin)), then everything more than top_db below the maximum of the
// spectrogram is raised to that floor.

#include <span>

namespace chorus::features {

// multiplier is 10 for power spectrograms, 20 for magnitudes. Returns the maximum in dB.
float to_decibels(std::span<float> values, float multiplier, float amin);

// Raises values below max − top_db to that floor (top_db ≤ 0: nothing). `max_db` is the
// maximum of the values (from to_decibels).
void apply_top_db(std::span<float> values, float max_db, float top_db);

}  // namespace chorus::features
