# Install layout of the non-code files and CPack: two packages, cpa-server
# (component "runtime") and cpa-sdk-dev (component "sdk"), as .deb and .rpm.
# Build packages with a /usr prefix: packaging/test-install.sh does it all.

# Files of the runtime package besides binaries and modules.
install(FILES "${PROJECT_SOURCE_DIR}/packaging/etc/config.yaml"
  DESTINATION /etc/cpa PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ COMPONENT runtime)
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

set(CPACK_PACKAGE_NAME "cpa")
set(CPACK_PACKAGE_VENDOR "cpa developers")
set(CPACK_PACKAGE_CONTACT "cpa developers <cpa@localhost>")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "One endpoint in front of many LLM providers, with a management API")
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
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME "cpa-server")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
  "${PROJECT_SOURCE_DIR}/packaging/debian/postinst;${PROJECT_SOURCE_DIR}/packaging/debian/prerm;${PROJECT_SOURCE_DIR}/packaging/debian/postrm;${PROJECT_SOURCE_DIR}/packaging/debian/conffiles")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_SDK_PACKAGE_NAME "cpa-sdk-dev")
set(CPACK_DEBIAN_SDK_PACKAGE_SECTION "libdevel")
set(CPACK_DEBIAN_SDK_PACKAGE_DEPENDS
  "cpa-server (= ${PROJECT_VERSION}), libpoco-dev, libboost-dev, cmake, g++")
set(CPACK_DEBIAN_SDK_PACKAGE_SHLIBDEPS OFF)

# RPM (Debian's rpm package provides rpmbuild)
set(CPACK_RPM_COMPONENT_INSTALL ON)
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_LICENSE "MIT")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_RUNTIME_PACKAGE_NAME "cpa-server")
set(CPACK_RPM_RUNTIME_PACKAGE_REQUIRES "shadow-utils")
set(CPACK_RPM_RUNTIME_POST_INSTALL_SCRIPT_FILE "${PROJECT_SOURCE_DIR}/packaging/rpm/post-install.sh")
set(CPACK_RPM_RUNTIME_PRE_UNINSTALL_SCRIPT_FILE "${PROJECT_SOURCE_DIR}/packaging/rpm/pre-uninstall.sh")
set(CPACK_RPM_RUNTIME_USER_FILELIST "%config(noreplace) /etc/cpa/config.yaml")
set(CPACK_RPM_SDK_PACKAGE_NAME "cpa-sdk-dev")
set(CPACK_RPM_SDK_PACKAGE_REQUIRES "cpa-server = ${PROJECT_VERSION}")
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
  /etc /usr/lib/systemd /usr/lib/systemd/system /usr/lib/cpa /usr/share/cpa /usr/share/doc
  /usr/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/cmake /usr/include)

include(CPack)
