# Test code is compiled without optimisation in optimised builds (release
# preset: RelWithDebInfo). The code under test keeps the build's -O2; only the
# test programs and their fakes drop it: GoogleTest-heavy files compile about
# twice as fast at -O0 (measured: 8.3 s → 3.9 s for one translate test file),
# which is most of CI's release build. Nothing in a test is timed (benchmarks
# live in bench/ and keep the build's flags).
function(cpa_tests_without_optimisation dir)
  get_property(targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
  foreach(t IN LISTS targets)
    get_target_property(type ${t} TYPE)
    get_target_property(src ${t} SOURCE_DIR)
    if(type MATCHES "EXECUTABLE|STATIC_LIBRARY|OBJECT_LIBRARY"
       AND (src MATCHES "/tests(/|$)" OR t MATCHES "_tests$"))
      target_compile_options(${t} PRIVATE $<$<CONFIG:RelWithDebInfo,Release>:-O0>)
    endif()
  endforeach()
  get_property(subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
  foreach(d IN LISTS subdirs)
    cpa_tests_without_optimisation("${d}")
  endforeach()
endfunction()
