# Fixture of the mistral-keys example test: installs the main build's SDK
# component into a staging prefix, builds plugins/examples/mistral-keys against
# it alone (find_package(CpaSdk) through CMAKE_PREFIX_PATH) in a separate
# build dir, and puts the plugin into a modules dir of its own, beside links to
# the STOCK_MODULES it runs with (the proxy module that routes its keys).
foreach(v MAIN_BUILD STAGING EXAMPLE_SOURCE EXAMPLE_BUILD MODULES GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "build_example.cmake: ${v} is not set")
  endif()
endforeach()
include("${CMAKE_CURRENT_LIST_DIR}/../../support/sdk_staging.cmake")

file(REMOVE_RECURSE "${EXAMPLE_BUILD}" "${MODULES}")
cpa_stage_sdk("${MAIN_BUILD}" "${STAGING}")
cpa_configure_against_sdk("${EXAMPLE_SOURCE}" "${EXAMPLE_BUILD}" "${STAGING}" "${GENERATOR}" "${CXX_COMPILER}")
cpa_run(${CMAKE_COMMAND} --build "${EXAMPLE_BUILD}" -j 2)
file(MAKE_DIRECTORY "${MODULES}")
file(COPY "${EXAMPLE_BUILD}/cpa_mistral_keys.so" DESTINATION "${MODULES}")
foreach(m IN LISTS STOCK_MODULES)
  get_filename_component(_name "${m}" NAME)
  file(CREATE_LINK "${m}" "${MODULES}/${_name}" SYMBOLIC)
endforeach()
message(STATUS "mistral-keys example built against ${STAGING}")
