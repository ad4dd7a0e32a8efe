# Warnings for every target of this project; -Werror in CI (CPA_WERROR=ON).
add_compile_options(-Wall -Wextra -Wpedantic -Wno-unused-parameter)
if(CPA_WERROR)
  add_compile_options(-Werror)
endif()
if(CPA_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(CPA_FUZZ)
  # Coverage feedback for libFuzzer in every library the targets link;
  # the targets themselves link -fsanitize=fuzzer (fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
