// Compiles the shared LibTorch precompiled header (cmake/ChorusTorch.cmake); nothing else.
