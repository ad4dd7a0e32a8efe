# cpa_add_plugin(<name> SOURCES <plugin_entry.cpp ...> [IMPL <static impl target>]
#                [OUTPUT_DIRECTORY <dir>] [INSTALL_DIR <dir>])
# Builds a loadable module `cpa_<name>` (MODULE library named cpa_<name>.so)
# with hidden visibility, linked to the SDK. Works in-tree and against an
# installed SDK (find_package(CpaSdk)).
function(cpa_add_plugin name)
  cmake_parse_arguments(ARG "" "IMPL;OUTPUT_DIRECTORY;INSTALL_DIR" "SOURCES" ${ARGN})
  set(target cpa_${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME "cpa_${name}"
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  if(TARGET CpaSdk::sdk)
    target_link_libraries(${target} PRIVATE CpaSdk::sdk)
  else()
    target_link_libraries(${target} PRIVATE cpa_sdk)
  endif()
  if(ARG_IMPL)
    target_link_libraries(${target} PRIVATE ${ARG_IMPL})
  endif()
  # Unresolved symbols are an error at link time, not at dlopen.
  target_link_options(${target} PRIVATE "LINKER:--no-undefined")
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
  elseif(DEFINED CPA_MODULES_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${CPA_MODULES_OUTPUT_DIR}")
  endif()
  # Install destination: INSTALL_DIR > in cpa's own tree CPA_INSTALL_MODULES_DIR
  # (unset there: not installed, e.g. test fixtures) > CpaSdk_MODULES_DIR when
  # the plugin's project sets it > <libdir>/cpa/modules, relative, so it
  # follows CMAKE_INSTALL_PREFIX.
  if(ARG_INSTALL_DIR)
    set(_dest "${ARG_INSTALL_DIR}")
  elseif(DEFINED CPA_MODULES_OUTPUT_DIR)
    set(_dest "${CPA_INSTALL_MODULES_DIR}")
  elseif(CpaSdk_MODULES_DIR)
    set(_dest "${CpaSdk_MODULES_DIR}")
  else()
    include(GNUInstallDirs)
    set(_dest "${CMAKE_INSTALL_LIBDIR}/cpa/modules")
  endif()
  if(_dest)
    install(TARGETS ${target} LIBRARY DESTINATION "${_dest}" COMPONENT runtime)
  endif()
endfunction()
