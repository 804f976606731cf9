# LibTorch (Debian's libtorch-dev, CPU). A translation unit that includes <torch/torch.h> costs
# ~15 s on two cores, so every target that uses LibTorch reuses one precompiled header of the
# core tensor and nn headers (chorus_use_torch), and sources include the narrowest header they can.
find_package(Torch REQUIRED)
# oneDNN, the libdnnl that Debian's LibTorch itself links, called directly by the compiled
# inference graphs (src/runtime/inference_graph.cpp); it threads with OpenMP.
find_package(dnnl CONFIG REQUIRED)
find_package(OpenMP REQUIRED)

add_library(chorus_torch_pch OBJECT ${CMAKE_CURRENT_LIST_DIR}/torch_pch.cpp)
target_link_libraries(chorus_torch_pch PUBLIC torch)
target_compile_options(chorus_torch_pch PRIVATE ${CHORUS_WARNINGS})
target_precompile_headers(chorus_torch_pch PUBLIC
  <torch/types.h> <torch/nn/module.h> <torch/nn/modules/container/any.h> <ATen/Parallel.h>)

# chorus_use_torch(target): link LibTorch and reuse the shared precompiled header.
function(chorus_use_torch target)
  target_link_libraries(${target} PUBLIC torch)
  target_precompile_headers(${target} REUSE_FROM chorus_torch_pch)
endfunction()
