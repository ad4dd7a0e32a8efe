# Install layout of the non-code files and CPack: two packages, cpa-server
# (component "runtime") and cpa-sdk-dev (component "sdk"), as .deb and .rpm,
# each with a debug-symbols package (-dbgsym / -debuginfo). Build packages
# with a /usr prefix: packaging/test-install.sh does it all (and runs lintian).

# The system config, decided when installing (not when configuring): /etc/cpa
# for the /usr prefix (the packages), else <prefix>/<sysconfdir>/cpa, so
# `cmake --install --prefix X` never writes outside X.
install(CODE "
  if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    set(_cpa_etc \"/${CMAKE_INSTALL_SYSCONFDIR}/cpa\")
  else()
    set(_cpa_etc \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_SYSCONFDIR}/cpa\")
  endif()
  file(INSTALL DESTINATION \"\${_cpa_etc}\" TYPE FILE
    PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ
    FILES \"${PROJECT_SOURCE_DIR}/packaging/etc/config.yaml\")
" COMPONENT runtime)
install(FILES "${PROJECT_SOURCE_DIR}/packaging/cpa-server.service"
  DESTINATION lib/systemd/system COMPONENT runtime)
install(PROGRAMS "${PROJECT_SOURCE_DIR}/packaging/wait-ready" DESTINATION lib/cpa COMPONENT runtime)
install(FILES "${PROJECT_SOURCE_DIR}/config/config.example.yaml" DESTINATION ${CMAKE_INSTALL_DATADIR}/cpa
  COMPONENT runtime)
install(FILES "${PROJECT_SOURCE_DIR}/README.md" "${PROJECT_SOURCE_DIR}/docs/compatibility.md"
  "${PROJECT_SOURCE_DIR}/config/config.example.yaml"
  DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/cpa-server COMPONENT runtime)
install(FILES "${PROJECT_SOURCE_DIR}/docs/plugin-guide.md" DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/cpa-sdk-dev
  COMPONENT sdk OPTIONAL)

# Debian policy files, compressed as Debian's tools do (gzip -9n: no name or
# time stamp, so the packages are reproducible): the manual page, and per
# package the changelog and the copyright (DEP-5, the project's MIT licence).
set(CPA_DEB_VERSION "${PROJECT_VERSION}")
set(_pkgdocs "${CMAKE_BINARY_DIR}/packaging")
configure_file("${PROJECT_SOURCE_DIR}/packaging/debian/changelog.in" "${_pkgdocs}/changelog" @ONLY)
find_program(CPA_GZIP gzip REQUIRED)
foreach(_f changelog)
  execute_process(COMMAND "${CPA_GZIP}" -9nc "${_pkgdocs}/${_f}" OUTPUT_FILE "${_pkgdocs}/${_f}.gz")
endforeach()
execute_process(COMMAND "${CPA_GZIP}" -9nc "${PROJECT_SOURCE_DIR}/packaging/cpa-server.8"
  OUTPUT_FILE "${_pkgdocs}/cpa-server.8.gz")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  "${PROJECT_SOURCE_DIR}/packaging/cpa-server.8" "${PROJECT_SOURCE_DIR}/packaging/debian/changelog.in")
install(FILES "${_pkgdocs}/cpa-server.8.gz" DESTINATION ${CMAKE_INSTALL_MANDIR}/man8 COMPONENT runtime)
foreach(_comp_pkg runtime:cpa-server sdk:cpa-sdk-dev)
  string(REPLACE ":" ";" _cp "${_comp_pkg}")
  list(GET _cp 0 _comp)
  list(GET _cp 1 _pkg)
  # Native package (no Debian revision): the changelog is changelog.gz.
  install(FILES "${_pkgdocs}/changelog.gz" "${PROJECT_SOURCE_DIR}/packaging/debian/copyright"
    DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${_pkg} COMPONENT ${_comp})
  install(FILES "${PROJECT_SOURCE_DIR}/packaging/debian/${_pkg}.lintian-overrides"
    DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME ${_pkg} COMPONENT ${_comp} OPTIONAL)
endforeach()

set(CPACK_PACKAGE_NAME "cpa")
set(CPACK_PACKAGE_VENDOR "cpa developers")
set(CPACK_PACKAGE_CONTACT "cpa developers <cpa@example.org>")
set(CPA_HOMEPAGE "https://github.com/router-for-me/CLIProxyAPI" CACHE STRING
  "Homepage field of the packages (the protocol cpa implements, until cpa has its own)")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
# No CPACK_PACKAGE_DESCRIPTION_SUMMARY: CPackDeb would put it before every
# package's own description, whose first line is already its synopsis.
# Stripped binaries: the debug information goes to the -dbgsym (.ddeb) and
# -debuginfo (.rpm) packages, whose generators strip the files themselves
# (CPACK_STRIP_FILES would strip first and leave them nothing to keep).
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_COMPONENTS_ALL runtime sdk)
set(CPACK_COMPONENTS_GROUPING IGNORE)
set(CPACK_PACKAGE_DIRECTORY "${CMAKE_BINARY_DIR}/packages")
set(CPACK_PRE_BUILD_SCRIPTS "${PROJECT_SOURCE_DIR}/packaging/sdk-package-files.cmake")

# Debian
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${CPA_HOMEPAGE}")
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
# libcpa_sdk.so.2: a shlibs file for packages built against it (plugins), and
# the ldconfig trigger (packaging/debian/triggers).
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME "cpa-server")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "One endpoint in front of many LLM providers, with a management API
cpa-server serves OpenAI, Anthropic and Gemini style LLM endpoints
(/v1/chat/completions, /v1/messages, /v1/responses, /v1beta/models) in front
of the provider API keys and OAuth credentials it is configured with,
translating between the formats, retrying and rotating credentials.

It is wire-compatible with CLIProxyAPI: the same config.yaml, the same
management API under /v0/management and the same web panel (downloaded from
the Management Center's releases while the management API is on), so existing
clients and scripts work unchanged. Features are modules loaded at start-up
(config, quota, provider keys, logs, usage, OAuth, the proxy, Prometheus
metrics); third-party modules are built with cpa-sdk-dev.

The service runs as the cpa system user on 127.0.0.1:8317 with
/etc/cpa/config.yaml; check a configuration with cpa-server --check-config.")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
  "${PROJECT_SOURCE_DIR}/packaging/debian/postinst;${PROJECT_SOURCE_DIR}/packaging/debian/prerm;${PROJECT_SOURCE_DIR}/packaging/debian/postrm;${PROJECT_SOURCE_DIR}/packaging/debian/conffiles;${PROJECT_SOURCE_DIR}/packaging/debian/triggers")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_SDK_PACKAGE_NAME "cpa-sdk-dev")
set(CPACK_DEBIAN_SDK_PACKAGE_SECTION "libdevel")
set(CPACK_DEBIAN_SDK_DESCRIPTION "Headers and CMake package to build cpa-server modules
The C++ SDK of cpa-server: the headers of the plugin interfaces (modules,
routes, config store, services, events), the development link of
libcpa_sdk, test fakes (cpa_sdk_testing) and the CpaSdk CMake package with
cpa_add_plugin(), so a third-party module builds out of tree against the
installed server and is checked against its plugin ABI when loaded.")
set(CPACK_DEBIAN_SDK_PACKAGE_DEPENDS
  "cpa-server (= ${PROJECT_VERSION}), libpoco-dev, libboost-dev, cmake, g++")
set(CPACK_DEBIAN_SDK_PACKAGE_SHLIBDEPS OFF)

# RPM (Debian's rpm package provides rpmbuild)
set(CPACK_RPM_COMPONENT_INSTALL ON)
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_LICENSE "MIT")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_PACKAGE_URL "${CPA_HOMEPAGE}")
# debugedit rewrites the source paths in the binaries in place, so the
# debuginfo source prefix (plus "/src_0") must not be longer than the source
# directory's path; a source tree at a very short path gets stripped RPMs
# without a debuginfo package (packaging/cpack-project.cmake).
string(LENGTH "${PROJECT_SOURCE_DIR}" _cpa_src_len)
if(_cpa_src_len GREATER_EQUAL 24)
  set(CPACK_RPM_BUILD_SOURCE_DIRS_PREFIX "/usr/src/debug/cpa")
elseif(_cpa_src_len GREATER_EQUAL 10)
  set(CPACK_RPM_BUILD_SOURCE_DIRS_PREFIX "/src")
endif()
if(DEFINED CPACK_RPM_BUILD_SOURCE_DIRS_PREFIX)
  set(CPACK_RPM_DEBUGINFO_PACKAGE ON)
  set(CPACK_BUILD_SOURCE_DIRS "${PROJECT_SOURCE_DIR};${CMAKE_BINARY_DIR}")
else()
  set(CPA_RPM_STRIP ON)
endif()
set(CPACK_PROJECT_CONFIG_FILE "${CMAKE_BINARY_DIR}/packaging/cpack-project.cmake")
configure_file("${PROJECT_SOURCE_DIR}/packaging/cpack-project.cmake.in" "${CPACK_PROJECT_CONFIG_FILE}" @ONLY)
set(CPACK_RPM_RUNTIME_PACKAGE_NAME "cpa-server")
set(CPACK_RPM_RUNTIME_PACKAGE_SUMMARY "One endpoint in front of many LLM providers, with a management API")
set(CPACK_RPM_SDK_PACKAGE_SUMMARY "Headers and CMake package to build cpa-server modules")
set(CPACK_RPM_RUNTIME_PACKAGE_REQUIRES "shadow-utils")
set(CPACK_RPM_RUNTIME_POST_INSTALL_SCRIPT_FILE "${PROJECT_SOURCE_DIR}/packaging/rpm/post-install.sh")
set(CPACK_RPM_RUNTIME_PRE_UNINSTALL_SCRIPT_FILE "${PROJECT_SOURCE_DIR}/packaging/rpm/pre-uninstall.sh")
set(CPACK_RPM_RUNTIME_USER_FILELIST "%config(noreplace) /etc/cpa/config.yaml")
set(CPACK_RPM_SDK_PACKAGE_NAME "cpa-sdk-dev")
set(CPACK_RPM_SDK_PACKAGE_REQUIRES "cpa-server = ${PROJECT_VERSION}")
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
  /etc /usr/lib/systemd /usr/lib/systemd/system /usr/lib/cpa /usr/share/cpa /usr/share/doc
  /usr/share/man /usr/share/man/man8 /usr/share/lintian /usr/share/lintian/overrides
  /usr/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/cmake /usr/include)

include(CPack)
