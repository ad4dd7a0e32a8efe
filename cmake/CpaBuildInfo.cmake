# Build information shown by --version and the X-CPA-* headers. Release builds
# may pass CPA_BUILD_VERSION/CPA_BUILD_COMMIT/CPA_BUILD_DATE explicitly.
find_package(Git QUIET)
if(NOT DEFINED CPA_BUILD_COMMIT)
  set(CPA_BUILD_COMMIT "none")
  if(GIT_FOUND AND EXISTS "${CMAKE_SOURCE_DIR}/.git")
    execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --short HEAD
      WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}" OUTPUT_VARIABLE _c OUTPUT_STRIP_TRAILING_WHITESPACE
      RESULT_VARIABLE _r ERROR_QUIET)
    if(_r EQUAL 0 AND _c)
      set(CPA_BUILD_COMMIT "${_c}")
    endif()
  endif()
endif()
if(NOT DEFINED CPA_BUILD_VERSION)
  set(CPA_BUILD_VERSION "${PROJECT_VERSION}")
endif()
if(NOT DEFINED CPA_BUILD_DATE)
  string(TIMESTAMP CPA_BUILD_DATE "%Y-%m-%dT%H:%M:%SZ" UTC)
endif()
