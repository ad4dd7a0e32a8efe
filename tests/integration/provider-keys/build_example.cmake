# Fixture of the mistral-keys example test: installs the main build's SDK
# component into a staging prefix, builds plugins/examples/mistral-keys against
# it alone (find_package(CpaSdk) through CMAKE_PREFIX_PATH) in a separate
# build dir, and puts the plugin into a modules dir of its own, beside links to
# the STOCK_MODULES it runs with (the proxy module that routes its keys).
foreach(v MAIN_BUILD STAGING EXAMPLE_SOURCE EXAMPLE_BUILD MODULES SDK_LIBRARY GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "build_example.cmake: ${v} is not set")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
endfunction()

file(REMOVE_RECURSE "${STAGING}" "${EXAMPLE_BUILD}" "${MODULES}")
run(${CMAKE_COMMAND} --install "${MAIN_BUILD}" --component sdk --prefix "${STAGING}")

# The sdk component holds the development symlink; the library itself ships with
# the runtime package (cpa-server), which a plugin author has installed too.
file(GLOB_RECURSE _namelinks "${STAGING}/*/libcpa_sdk.so")
list(LENGTH _namelinks _n)
if(NOT _n EQUAL 1)
  message(FATAL_ERROR "expected one libcpa_sdk.so in the staged SDK, found: ${_namelinks}")
endif()
get_filename_component(_libdir "${_namelinks}" DIRECTORY)
get_filename_component(_sdk_dir "${SDK_LIBRARY}" DIRECTORY)
file(GLOB _sdk_versioned "${_sdk_dir}/libcpa_sdk.so.*")
file(COPY ${_sdk_versioned} DESTINATION "${_libdir}")
if(NOT EXISTS "${_libdir}/libcpa_sdk.so.2")
  message(FATAL_ERROR "libcpa_sdk.so.2 missing in ${_libdir}")
endif()

run(${CMAKE_COMMAND} -S "${EXAMPLE_SOURCE}" -B "${EXAMPLE_BUILD}" -G "${GENERATOR}"
  "-DCMAKE_PREFIX_PATH=${STAGING}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" -DCMAKE_BUILD_TYPE=Debug
  # Only the staged SDK may satisfy find_package(CpaSdk): never the build tree's export.
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
run(${CMAKE_COMMAND} --build "${EXAMPLE_BUILD}" -j 2)
file(MAKE_DIRECTORY "${MODULES}")
file(COPY "${EXAMPLE_BUILD}/cpa_mistral_keys.so" DESTINATION "${MODULES}")
foreach(m IN LISTS STOCK_MODULES)
  get_filename_component(_name "${m}" NAME)
  file(CREATE_LINK "${m}" "${MODULES}/${_name}" SYMBOLIC)
endforeach()
message(STATUS "mistral-keys example built against ${STAGING}")
