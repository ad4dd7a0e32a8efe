# Helpers of the script-mode (-P) tests that build a plugin out of tree against
# the *installed* SDK: the main build's sdk component alone, staged into a prefix.

# cpa_run(<command...>): runs it; a failure stops the script with its output.
function(cpa_run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
endfunction()

# cpa_stage_sdk(<main build dir> <prefix>): installs the sdk component alone
# into a fresh <prefix> and checks that libcpa_sdk.so resolves to the library.
function(cpa_stage_sdk main staging)
  file(REMOVE_RECURSE "${staging}")
  cpa_run(${CMAKE_COMMAND} --install "${main}" --component sdk --prefix "${staging}")
  file(GLOB_RECURSE _namelinks "${staging}/*/libcpa_sdk.so")
  list(LENGTH _namelinks _n)
  if(NOT _n EQUAL 1)
    message(FATAL_ERROR "expected one libcpa_sdk.so in the staged SDK, found: ${_namelinks}")
  endif()
  file(REAL_PATH "${_namelinks}" _real)
  if(NOT EXISTS "${_real}" OR IS_SYMLINK "${_real}")
    message(FATAL_ERROR "libcpa_sdk.so in the staged SDK does not resolve to a library: ${_real}")
  endif()
endfunction()

# cpa_configure_against_sdk(<source> <build> <prefix> <generator> <c++ compiler> [cmake args...])
function(cpa_configure_against_sdk source build staging generator compiler)
  # A sanitized SDK needs sanitized consumers: an executable without the ASan
  # runtime first in its library list refuses to start.
  set(_sanitize "")
  if(SANITIZE)
    set(_sanitize "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -fno-omit-frame-pointer"
      "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined"
      "-DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=address,undefined")
  endif()
  cpa_run(${CMAKE_COMMAND} -S "${source}" -B "${build}" -G "${generator}" ${_sanitize}
    "-DCMAKE_PREFIX_PATH=${staging}" "-DCMAKE_CXX_COMPILER=${compiler}" -DCMAKE_BUILD_TYPE=Debug
    # Only the staged SDK may satisfy find_package(CpaSdk): never the build tree's export.
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF ${ARGN})
endfunction()
