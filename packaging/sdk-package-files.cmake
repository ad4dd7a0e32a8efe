# CPack pre-build script (CPACK_PRE_BUILD_SCRIPTS): the sdk component installs
# the versioned libcpa_sdk so that `cmake --install --component sdk` alone is a
# working SDK; in the packages that file is cpa-server's (cpa-sdk-dev depends on
# it), so it is dropped from the sdk package's staging tree: one owner per file.
file(GLOB_RECURSE _shared LIST_DIRECTORIES false
  "${CPACK_TEMPORARY_DIRECTORY}/sdk/*/libcpa_sdk.so.*")
foreach(f IN LISTS _shared)
  message(STATUS "cpa-sdk-dev: ${f} is shipped by cpa-server")
  file(REMOVE "${f}")
endforeach()
