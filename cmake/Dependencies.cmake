# Finds every dependency once and exposes them as one interface target, hindsight::deps. LibTorch is not
# part of it: only the learner module (hindsight_torch) and the tests and benchmarks that call it link it.
find_package(Threads REQUIRED)
find_package(mujoco REQUIRED)
find_package(Torch REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(yaml-cpp REQUIRED)
# TensorBoard event files (io/tb_events): protoc generates the Event message, libprotobuf encodes it.
find_package(Protobuf REQUIRED)
# The hindsight CLI's command-line parser (header-only; Debian libcli11-dev ships the CLI11::CLI11 config).
# Only the app links it: it is not part of hindsight::deps.
find_package(CLI11 2.1 CONFIG REQUIRED)
# Headless rendering: Mesa's off-screen GL (Debian libosmesa6-dev); MuJoCo's renderer runs inside it.
find_path(OSMESA_INCLUDE_DIR GL/osmesa.h REQUIRED)
find_library(OSMESA_LIBRARY OSMesa REQUIRED)

# Debian's MuJoCo config names an include directory that may not exist (libqhull_r); keep only real ones.
get_target_property(_mj_inc mujoco::mujoco INTERFACE_INCLUDE_DIRECTORIES)
set(_mj_inc_ok "")
foreach(_d IN LISTS _mj_inc)
  if(EXISTS "${_d}")
    list(APPEND _mj_inc_ok "${_d}")
  endif()
endforeach()
set_target_properties(mujoco::mujoco PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${_mj_inc_ok}")

set(HINDSIGHT_MPI_ENABLED OFF)
if(HINDSIGHT_WITH_MPI)
  find_package(MPI COMPONENTS C)
  if(MPI_C_FOUND)
    set(HINDSIGHT_MPI_ENABLED ON)
  else()
    message(STATUS "hindsight: MPI not found, building the single-process communicator only")
  endif()
endif()

add_library(hindsight_deps INTERFACE)
add_library(hindsight::deps ALIAS hindsight_deps)
target_link_libraries(hindsight_deps INTERFACE
  mujoco::mujoco nlohmann_json::nlohmann_json yaml-cpp protobuf::libprotobuf Threads::Threads
  ${CMAKE_DL_LIBS} ${OSMESA_LIBRARY})
target_include_directories(hindsight_deps INTERFACE ${OSMESA_INCLUDE_DIR})
if(HINDSIGHT_MPI_ENABLED)
  target_link_libraries(hindsight_deps INTERFACE MPI::MPI_C)
  target_compile_definitions(hindsight_deps INTERFACE HINDSIGHT_HAVE_MPI=1)
endif()
if(HINDSIGHT_SANITIZE)
  # No recovery: the first undefined behaviour ends the process, so a test cannot pass over it.
  target_compile_options(hindsight_deps INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(hindsight_deps INTERFACE -fsanitize=address,undefined -fno-sanitize-recover=all)
endif()
if(HINDSIGHT_FUZZ AND NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "HINDSIGHT_FUZZ needs clang (libFuzzer): configure with CC=clang CXX=clang++")
endif()
