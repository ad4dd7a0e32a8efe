# The plugin guide's walk-through, built exactly as printed: every fenced code
# block of docs/plugin-guide.md preceded by `<!-- guide-file: PATH -->` is
# appended to PATH of a fresh project, which is then configured and built
# against the main build's sdk component alone, its tests run, and installed
# (the modules directory follows --prefix; CpaSdk_MODULES_DIR wins when set).
cmake_policy(VERSION 3.25)
foreach(v MAIN_BUILD GUIDE WORK GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "build_guide.cmake: ${v} is not set")
  endif()
endforeach()
include("${CMAKE_CURRENT_LIST_DIR}/../../support/sdk_staging.cmake")

set(_project "${WORK}/project")
set(_build "${WORK}/build")
file(REMOVE_RECURSE "${_project}" "${_build}" "${WORK}/prefix" "${WORK}/custom")

# Extraction works on the text as one string (code holds ';', which CMake
# lists would split on).
file(READ "${GUIDE}" _text)
set(_marker "<!-- guide-file: ")
set(_files "")
while(TRUE)
  string(FIND "${_text}" "${_marker}" _at)
  if(_at EQUAL -1)
    break()
  endif()
  string(LENGTH "${_marker}" _ml)
  math(EXPR _name_at "${_at} + ${_ml}")
  string(SUBSTRING "${_text}" ${_name_at} -1 _text)
  string(FIND "${_text}" " -->\n" _end)
  string(SUBSTRING "${_text}" 0 ${_end} _name)
  math(EXPR _after "${_end} + 5")
  string(SUBSTRING "${_text}" ${_after} -1 _text)
  # The fence must follow the marker directly.
  string(FIND "${_text}" "```" _fence)
  if(NOT _fence EQUAL 0)
    message(FATAL_ERROR "${GUIDE}: no code block right after the marker for ${_name}")
  endif()
  string(FIND "${_text}" "\n" _eol)
  math(EXPR _body_at "${_eol} + 1")
  string(SUBSTRING "${_text}" ${_body_at} -1 _text)
  string(FIND "${_text}" "```\n" _close)
  if(_close EQUAL -1)
    message(FATAL_ERROR "${GUIDE}: unterminated code block for ${_name}")
  endif()
  string(SUBSTRING "${_text}" 0 ${_close} _code)
  file(APPEND "${_project}/${_name}" "${_code}")
  list(APPEND _files "${_name}")
  string(SUBSTRING "${_text}" ${_close} -1 _text)
endwhile()
list(REMOVE_DUPLICATES _files)
foreach(required CMakeLists.txt src/plugin_entry.cpp tests/acme_keys_test.cpp)
  if(NOT required IN_LIST _files)
    message(FATAL_ERROR "${GUIDE}: no code block marked for ${required} (found: ${_files})")
  endif()
endforeach()
message(STATUS "extracted from the guide: ${_files}")

cpa_stage_sdk("${MAIN_BUILD}" "${WORK}/sdk")
cpa_configure_against_sdk("${_project}" "${_build}" "${WORK}/sdk" "${GENERATOR}" "${CXX_COMPILER}"
  "-DCMAKE_INSTALL_PREFIX=${WORK}/prefix")
cpa_run(${CMAKE_COMMAND} --build "${_build}" -j 2)
if(NOT EXISTS "${_build}/cpa_acme_keys.so")
  message(FATAL_ERROR "the guide's project did not build cpa_acme_keys.so")
endif()

# The guide's own test, through ctest: it must exist and pass.
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --test-dir "${_build}" --output-on-failure
  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
if(NOT _rc EQUAL 0 OR NOT _out MATCHES "100% tests passed, 0 tests failed out of [1-9]")
  message(FATAL_ERROR "the guide's tests failed or are missing:\n${_out}\n${_err}")
endif()

# Installed under the prefix's modules directory ...
cpa_run(${CMAKE_COMMAND} --install "${_build}")
file(GLOB_RECURSE _installed "${WORK}/prefix/*/cpa/modules/cpa_acme_keys.so")
if(NOT _installed)
  message(FATAL_ERROR "cmake --install did not put cpa_acme_keys.so under ${WORK}/prefix/<libdir>/cpa/modules")
endif()
# ... or into CpaSdk_MODULES_DIR when the project is told one.
cpa_run(${CMAKE_COMMAND} "-DCpaSdk_MODULES_DIR=${WORK}/custom" "${_build}")
cpa_run(${CMAKE_COMMAND} --install "${_build}")
if(NOT EXISTS "${WORK}/custom/cpa_acme_keys.so")
  message(FATAL_ERROR "CpaSdk_MODULES_DIR=${WORK}/custom was not honoured by cpa_add_plugin")
endif()
message(STATUS "the plugin guide's walk-through builds, passes its test and installs: ${_installed}")
