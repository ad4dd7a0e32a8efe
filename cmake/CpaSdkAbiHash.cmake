# The SDK ABI drift guard (as Envoy does): a hash of the public headers
# (sdk/include/**, except version.hpp.in, which holds the ABI version itself)
# is checked in with the ABI version it belongs to (sdk/abi-hash.txt).
#   cmake -DSOURCE_DIR=<repo> -DMODE=check  -P CpaSdkAbiHash.cmake   (the test)
#   cmake -DSOURCE_DIR=<repo> -DMODE=update -P CpaSdkAbiHash.cmake   (scripts/update-sdk-abi-hash)
# check fails when the headers or the ABI version differ from the record;
# update refuses to record changed headers under an unchanged ABI version.
if(NOT DEFINED SOURCE_DIR OR NOT DEFINED MODE)
  message(FATAL_ERROR "CpaSdkAbiHash.cmake: set SOURCE_DIR and MODE (check|update)")
endif()
set(_include "${SOURCE_DIR}/sdk/include")
set(_version_file "${_include}/cpa/sdk/version.hpp.in")
set(_record "${SOURCE_DIR}/sdk/abi-hash.txt")

file(STRINGS "${_version_file}" _major REGEX "^#define CPA_SDK_ABI_MAJOR [0-9]+$")
file(STRINGS "${_version_file}" _minor REGEX "^#define CPA_SDK_ABI_MINOR [0-9]+$")
string(REGEX REPLACE ".* " "" _major "${_major}")
string(REGEX REPLACE ".* " "" _minor "${_minor}")
if(_major STREQUAL "" OR _minor STREQUAL "")
  message(FATAL_ERROR "no CPA_SDK_ABI_MAJOR/MINOR in ${_version_file}")
endif()
set(_abi "${_major}.${_minor}")

# Names and contents both count: a renamed or added header moves the hash.
file(GLOB_RECURSE _headers RELATIVE "${_include}" "${_include}/*")
list(REMOVE_ITEM _headers "cpa/sdk/version.hpp.in")
list(SORT _headers)
set(_acc "")
foreach(h IN LISTS _headers)
  file(SHA256 "${_include}/${h}" _h)
  string(APPEND _acc "${h} ${_h}\n")
endforeach()
string(SHA256 _hash "${_acc}")

set(_recorded_abi "")
set(_recorded_hash "")
if(EXISTS "${_record}")
  file(STRINGS "${_record}" _line REGEX "^abi [0-9]+\\.[0-9]+ sha256 [0-9a-f]+$" LIMIT_COUNT 1)
  string(REGEX REPLACE "^abi ([0-9.]+) sha256 ([0-9a-f]+)$" "\\1" _recorded_abi "${_line}")
  string(REGEX REPLACE "^abi ([0-9.]+) sha256 ([0-9a-f]+)$" "\\2" _recorded_hash "${_line}")
endif()

if(MODE STREQUAL "check")
  if(NOT _hash STREQUAL _recorded_hash)
    message(FATAL_ERROR "SDK public headers changed (sha256 ${_hash}, recorded ${_recorded_hash} for ABI "
      "${_recorded_abi}): move CPA_SDK_ABI_MAJOR/MINOR in sdk/include/cpa/sdk/version.hpp.in "
      "(and CpaSdk_VERSION in sdk/CMakeLists.txt), then run scripts/update-sdk-abi-hash")
  endif()
  if(NOT _abi STREQUAL _recorded_abi)
    message(FATAL_ERROR "the SDK ABI version is ${_abi} but sdk/abi-hash.txt records ${_recorded_abi}: "
      "run scripts/update-sdk-abi-hash")
  endif()
  message(STATUS "SDK ABI ${_abi}: public headers match sdk/abi-hash.txt")
elseif(MODE STREQUAL "update")
  if(_hash STREQUAL _recorded_hash AND _abi STREQUAL _recorded_abi)
    message(STATUS "sdk/abi-hash.txt is up to date (ABI ${_abi})")
  elseif(_abi STREQUAL _recorded_abi)
    message(FATAL_ERROR "refused: the SDK public headers changed but the ABI version is still ${_abi}; "
      "move CPA_SDK_ABI_MAJOR (incompatible change) or CPA_SDK_ABI_MINOR (addition) in "
      "sdk/include/cpa/sdk/version.hpp.in first")
  else()
    file(WRITE "${_record}"
      "# Written by scripts/update-sdk-abi-hash; checked by the sdk_abi_hash test.\n"
      "abi ${_abi} sha256 ${_hash}\n")
    message(STATUS "sdk/abi-hash.txt: ABI ${_abi} sha256 ${_hash}")
  endif()
else()
  message(FATAL_ERROR "CpaSdkAbiHash.cmake: MODE must be check or update, not ${MODE}")
endif()
